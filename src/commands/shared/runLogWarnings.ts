/** What `skills metrics` and `skills insights` say about the run log itself: lines skipped, logging turned off. */
import { relative } from "node:path";
import type { ProjectConfig } from "../../store/config.js";

/** The one warning about lines that are not records, and one when logging is off. */
export function logWarnings(
  config: ProjectConfig,
  skipped: { count: number; first?: { file: string; line: number } },
  cwd: string,
): string[] {
  const warnings: string[] = [];
  if (skipped.count > 0) {
    const where = skipped.first ? ` (first at ${shown(skipped.first.file, cwd)}:${skipped.first.line})` : "";
    warnings.push(
      `skipped ${skipped.count} line${skipped.count === 1 ? "" : "s"} of the run log that ${skipped.count === 1 ? "is" : "are"} not a run record — cut short by a full disk or written by something else${where}`,
    );
  }
  if (!config.logRuns) warnings.push("logRuns is false in skills.config.json: new runs are not being recorded");
  return warnings;
}

/** A path relative to cwd when it is inside it, else as it is. */
export function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}
