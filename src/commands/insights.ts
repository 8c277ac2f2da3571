/**
 * `skills insights`: what a maintainer of the skill library should act on — failing skills and tools, slower
 * versions, tool chains worth a skill, near-duplicate skills (and, fed by other commands, failing compat checks and
 * searches that found nothing) — each with its evidence and confidence, ranked.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { RunRecord, SearchRecord } from "../contracts/runRecord.js";
import { selectRuns } from "../core/metrics/aggregate.js";
import {
  type CompatFinding,
  DEFAULT_INSIGHT_OPTIONS,
  findInsights,
  type Insight,
  type InsightOptions,
  type LibrarySkill,
} from "../core/metrics/insights/index.js";
import { loadProjectConfig } from "../store/config.js";
import { findSkillDirs } from "../store/findSkills.js";
import { loadSkill } from "../store/loadSkill.js";
import { codePath } from "../store/runLog/code.js";
import { readRunLog } from "../store/runLog/read.js";
import { logWarnings, shown } from "./shared/runLogWarnings.js";

export interface InsightsOptions {
  cwd: string;
  /** Only runs at or after this time (epoch ms; the CLI reads `--since 7d` or a date). */
  since?: number;
  /** Runs a skill needs before its failure rate is judged (default 10). */
  minRuns?: number;
  /** Extension point: findings of `skills compat`, passed in by whoever ran it. */
  compat?: CompatFinding[];
}

export interface InsightsResult {
  ok: true;
  insights: Insight[];
  considered: { runs: number; searches: number; skills: number; since?: string };
  /** Thresholds the analyses used. */
  thresholds: InsightOptions;
  warnings: string[];
}

export async function insights(options: InsightsOptions): Promise<InsightsResult> {
  const since = options.since;
  const config = await loadProjectConfig(options.cwd);
  const read = await readRunLog(config.runLog.path);
  const warnings = logWarnings(config, read.skipped, options.cwd);
  const runs = selectRuns(read.records, since !== undefined ? { since } : {});
  const searches = read.records.filter(
    (record): record is SearchRecord =>
      record.kind === "search" && (since === undefined || Date.parse(record.time) >= since),
  );
  const library = await loadLibrary(config.roots, options.cwd, warnings);
  const thresholds: InsightOptions = {
    ...DEFAULT_INSIGHT_OPTIONS,
    ...(options.minRuns !== undefined ? { minRuns: options.minRuns } : {}),
  };
  const hasCode = (record: RunRecord): boolean =>
    record.code_sha256 !== undefined &&
    /^[0-9a-f]{64}$/.test(record.code_sha256) &&
    existsSync(codePath(config.runLog.path, record.code_sha256, record.language));
  const found = findInsights({ runs, searches, library, compat: options.compat ?? [], hasCode }, thresholds);
  return {
    ok: true,
    insights: found,
    considered: {
      runs: runs.length,
      searches: searches.length,
      skills: library.length,
      ...(since !== undefined ? { since: new Date(since).toISOString() } : {}),
    },
    thresholds,
    warnings,
  };
}

/** The runnable skills under the project's roots, for the near-duplicate check; invalid ones are left out. */
async function loadLibrary(roots: string[], cwd: string, warnings: string[]): Promise<LibrarySkill[]> {
  const dirs = await findSkillDirs(roots).catch(() => [] as string[]);
  const library: LibrarySkill[] = [];
  let invalid = 0;
  for (const dir of dirs) {
    const loaded = await loadSkill(dir);
    if (!loaded.ok) {
      invalid += 1;
      continue;
    }
    const skill = loaded.value;
    if (skill.kind !== "runnable") continue;
    const code = await readFile(skill.entryPath, "utf8").catch(() => undefined);
    if (code === undefined) continue;
    library.push({
      name: skill.name,
      tools: Object.keys(skill.manifest.tools ?? {}),
      entryPath: shown(skill.entryPath, cwd),
      code,
    });
  }
  if (invalid > 0) {
    warnings.push(
      `${invalid} skill${invalid === 1 ? " is" : "s are"} invalid and ${invalid === 1 ? "was" : "were"} left out of the near-duplicate check; \`skills validate\` shows why`,
    );
  }
  return library;
}
