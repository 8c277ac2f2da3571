/**
 * PII tokenization is on by default, which is right, but a user whose program suddenly sees `[EMAIL_1]` instead of
 * an address deserves to be told why once: the first time tokenization changes what a program saw in a project, the
 * run's result carries a notice that says what happened and how to turn it off. A marker in the project's cache
 * folder keeps it to once; if the marker cannot be written, the notice simply shows again next time.
 */
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { PiiAudit } from "../../contracts/privacy.js";
import type { RunResult } from "../../contracts/run.js";
import { writeFileAtomic } from "../../store/atomicWrite.js";

const MARKER = "pii-notice-shown";

export const PII_NOTICE =
  "PII tokenization is on by default: emails, phone numbers, card numbers and the like in tool results reach " +
  "your program as tokens such as [EMAIL_1], and go back to tools as the real values, so they never enter " +
  "results, logs or a model's context. `--pii off` (or \"pii\": \"off\" in skills.config.json) turns it off; " +
  "docs/privacy.md has the details. This note is shown once per project.";

/** Values tokenized in what the program received. */
export function tokenizedCount(audit: PiiAudit | undefined): number {
  if (!audit) return 0;
  return Object.values(audit.types).reduce((sum, counts) => sum + (counts.tokenized ?? 0), 0);
}

/** The notice, the first time any of `runs` had values tokenized in this project's cache folder; else undefined. */
export async function firstPiiNotice(cacheDir: string, runs: RunResult[]): Promise<string | undefined> {
  if (!runs.some((run) => tokenizedCount(run.pii) > 0)) return undefined;
  const marker = join(cacheDir, MARKER);
  if (await stat(marker).catch(() => undefined)) return undefined;
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeFileAtomic(marker, `${new Date().toISOString()}\n`);
  } catch {
    // A read-only project: say it now, and again next time.
  }
  return PII_NOTICE;
}
