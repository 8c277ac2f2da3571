/** Human output of `skills init`: what was written, what was kept, the servers, git, and what to do next. */
import type { InitResult } from "../../commands/init.js";
import { terminalSafe } from "../../core/text/terminal.js";
import type { CliContext } from "../context.js";

export function renderInit(result: InitResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines = [`${style.green("✓")} a skills project in ${terminalSafe(result.dir)}`];
  for (const file of result.written) lines.push(`  ${style.green("+")} ${file}`);
  for (const file of result.kept) lines.push(`  ${style.yellow("=")} ${file} ${style.dim("exists: kept as it is")}`);
  if (result.linked.length > 0) {
    lines.push(`  ${style.dim(`linked the reference MCP servers into node_modules (${result.linked.length} links)`)}`);
  }
  if (result.lock.status === "error") {
    lines.push(
      `  ${style.yellow("warning")} the example skill is not locked: ${terminalSafe(result.lock.message ?? "")}`,
    );
  }
  lines.push(
    result.git.initialized
      ? `  ${style.dim(`git init: a new repository${result.git.branch ? ` on ${result.git.branch}` : ""}`)}`
      : `  ${style.dim(`in the git repository ${terminalSafe(result.git.root)}`)}`,
  );
  lines.push("", "next:", ...result.next.map((line) => `  ${line}`));
  return lines.join("\n");
}
