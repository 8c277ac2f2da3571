/** Options of `skills metrics` and `skills insights`: the window (--since), the output format, --min-runs. */
import { METRICS_FORMATS, type MetricsFormat } from "../../commands/metrics.js";
import { parseSince } from "../../core/metrics/stats.js";
import { SkillsError } from "../../errors.js";
import { lastString } from "./values.js";

/** `--since` (a duration back from `now`, or a date) -> the window's start in epoch ms. */
export function parseSinceOption(value: unknown, now: number): number | undefined {
  const text = lastString(value);
  if (text === undefined) return undefined;
  const since = parseSince(text, now);
  if (since === undefined) {
    throw new SkillsError("INVALID_ARGUMENT", `--since "${text}" is neither a duration nor a date`, {
      hint: "use a duration back from now (30m, 24h, 7d, 2w) or a date (2025-01-31, 2025-01-31T12:00:00Z)",
    });
  }
  return since;
}

/** `--format` (default table); `--json` alone means json. */
export function parseMetricsFormat(value: unknown): MetricsFormat {
  const text = lastString(value);
  if (text === undefined) return "table";
  if ((METRICS_FORMATS as readonly string[]).includes(text)) return text as MetricsFormat;
  throw new SkillsError("INVALID_ARGUMENT", `unknown --format "${text}"`, {
    hint: `use one of: ${METRICS_FORMATS.join(", ")}`,
  });
}

/** `--min-runs`: runs a skill or tool needs before its failure rate is judged. */
export function parseMinRuns(value: unknown): number | undefined {
  const text = lastString(value);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new SkillsError("INVALID_ARGUMENT", `--min-runs must be a whole number of at least 1, got "${text}"`, {
      hint: "e.g. --min-runs 20 (fewer runs give wider intervals, so fewer findings)",
    });
  }
  return n;
}
