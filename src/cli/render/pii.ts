/** Human output of `skills pii scan`: one line per finding (position, type, pointer, value, token), then counts. */
import type { PiiScanResult } from "../../commands/pii.js";
import type { CliContext } from "../context.js";
import { plural } from "./problems.js";

export function renderPiiScan(result: PiiScanResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines: string[] = [];
  for (const f of result.findings) {
    const where = `${result.file}:${f.line}:${f.column}`;
    const path = f.path ? ` ${style.dim(f.inKey ? `${f.path} (key)` : f.path)}` : "";
    const confidence = f.confidence < 0.8 ? style.dim(` (confidence ${f.confidence.toFixed(2)})`) : "";
    lines.push(`${where}  ${style.yellow(f.type)}${path}  ${f.value} → ${style.cyan(f.token)}${confidence}`);
  }
  const counts = Object.entries(result.counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${n} ${type}`)
    .join(", ");
  const summary =
    result.findings.length === 0
      ? `${style.green("clean")}: nothing to tokenize in ${result.file}`
      : `${result.ok ? style.yellow("found") : style.red("refused")}: ${plural(result.findings.length, "value")} to tokenize (${counts})`;
  lines.push(`${summary} ${style.dim(`· ${result.format} · mode ${result.mode}`)}`);
  if (!result.ok) lines.push(`  ${style.dim("hint:")} strict mode would refuse this as a run's output`);
  return lines.join("\n");
}
