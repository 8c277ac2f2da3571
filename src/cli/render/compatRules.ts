/** `skills compat --rules`: the rule table (`--json` prints the rules as data). */
import type { CompatRule } from "../../contracts/compat.js";
import type { CliContext } from "../context.js";

export function renderRules(rules: readonly CompatRule[], ctx: CliContext): string {
  const { style } = ctx;
  const width = Math.max(...rules.map((rule) => rule.id.length));
  const lines = [style.dim(`${"rule".padEnd(width)}  direction  effect        used when      summary`)];
  for (const rule of rules) {
    const effect =
      rule.effect === "breaking"
        ? style.red(rule.effect.padEnd(12))
        : rule.effect === "dangerous"
          ? style.yellow(rule.effect.padEnd(12))
          : style.green(rule.effect.padEnd(12));
    lines.push(
      `${rule.id.padEnd(width)}  ${rule.direction.padEnd(9)}  ${effect}  ${rule.usage.padEnd(13)}  ${rule.summary}${rule.mechanical ? style.dim(" (--fix)") : ""}`,
    );
  }
  lines.push(style.dim(`${rules.length} rules; docs/compat.md has an example of each`));
  return lines.join("\n");
}
