/** Human output of `skills sdk`. */
import { relative } from "node:path";
import type { SdkResult } from "../../commands/sdk.js";
import type { CliContext } from "../context.js";

const LANGUAGES = { ts: "TypeScript", python: "Python", both: "TypeScript and Python" } as const;

const SHOWN_PER_KIND = 20;

export function renderSdk(result: SdkResult, ctx: CliContext): string {
  const style = ctx.style;
  const where = relative(ctx.cwd, result.dir) || ".";
  const shown = where.startsWith("..") ? result.dir : where;
  if (result.check) return renderCheck(result, result.check, shown, ctx);
  const out = [
    `${style.green("✓")} wrote ${result.files} files (${LANGUAGES[result.lang]}) for ${result.tools} tools of ${result.servers.length} server${result.servers.length === 1 ? "" : "s"} to ${style.bold(shown)}${result.replaced ? style.dim(" (replaced the previous tree)") : ""}`,
  ];
  const width = Math.max(0, ...result.servers.map((server) => server.server.length));
  for (const server of result.servers) {
    const version = server.version ? style.dim(` ${server.version}`) : "";
    out.push(
      `  ${server.server.padEnd(width)}  ${String(server.tools).padStart(3)} tools  servers/${server.folder}${version}`,
    );
  }
  const first = result.servers[0];
  if (first) {
    out.push("", style.dim("use it:"));
    if (result.lang !== "ts") out.push(style.dim(`  from servers.${first.folder} import <tool_name>`));
    if (result.lang !== "python")
      out.push(style.dim(`  import { <toolName> } from "./servers/${first.folder}/index.js";`));
  }
  return out.join("\n");
}

function renderCheck(
  result: SdkResult,
  check: NonNullable<SdkResult["check"]>,
  shown: string,
  ctx: CliContext,
): string {
  const style = ctx.style;
  if (check.upToDate) {
    return `${style.green("✓")} ${shown} is up to date (${result.files} files, ${result.tools} tools)`;
  }
  const out = [`${style.red("✗")} ${shown} is stale: regenerate it with \`skills sdk\``];
  const kinds = [
    ["added", check.added, "+"],
    ["changed", check.changed, "~"],
    ["removed", check.removed, "-"],
  ] as const;
  for (const [label, paths, mark] of kinds) {
    if (paths.length === 0) continue;
    out.push(`  ${paths.length} ${label}`);
    for (const path of paths.slice(0, SHOWN_PER_KIND)) out.push(`    ${mark} ${path}`);
    if (paths.length > SHOWN_PER_KIND) out.push(style.dim(`    … and ${paths.length - SHOWN_PER_KIND} more`));
  }
  return out.join("\n");
}
