/** Human output of `skills list`: one table row per skill. */
import type { ListResult } from "../../commands/list.js";
import { terminalSafe as safe } from "../../core/text/terminal.js";
import type { CliContext } from "../context.js";
import { plural } from "./problems.js";

const MAX_DESCRIPTION = 60;

export function renderList(result: ListResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines: string[] = [];
  if (result.skills.length > 0) {
    const rows = result.skills.map((s) => [
      safe(s.name),
      s.kind,
      s.version ?? "-",
      s.language ?? "-",
      s.tools.length > 0 ? s.tools.join(", ") : "-",
      s.valid
        ? s.warnings > 0
          ? `yes (${plural(s.warnings, "warning")})`
          : "yes"
        : `no (${plural(s.errors, "error")})`,
      truncate(safe(s.description ?? ""), MAX_DESCRIPTION),
    ]);
    const header = ["NAME", "KIND", "VERSION", "LANGUAGE", "TOOLS", "VALID", "DESCRIPTION"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const format = (cells: string[]) =>
      cells
        .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd();
    lines.push(style.bold(format(header)));
    result.skills.forEach((skill, index) => {
      const row = format(rows[index]!);
      lines.push(skill.valid ? row : style.red(row));
    });
    const invalid = result.skills.filter((s) => !s.valid).length;
    lines.push(
      style.dim(
        `${plural(result.skills.length, "skill")} in ${result.roots.join(", ")}` +
          (invalid > 0 ? ` · ${invalid} invalid: run \`skills validate\` for details` : ""),
      ),
    );
  }
  for (const note of result.notes) lines.push(style.dim(note));
  return lines.join("\n");
}

function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
