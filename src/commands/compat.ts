/**
 * `skills compat [skills..] [--against live|<ref>] [--strict] [--fix]`: is each skill still compatible with the
 * tools it depends on? Each dependency's lock is compared with the tool now (the live servers, or the work tree's
 * lock against the one at a git ref), every change is judged against what the skill's code uses, and the verdicts
 * come with the code locations and what to do. `--fix` applies the mechanical migrations and returns the diff.
 */
import { relative } from "node:path";
import type {
  CheckStatus,
  CompatStatus,
  LockedTool,
  LockedToolEntry,
  SkillUsage,
  ToolUsage,
} from "../contracts/compat.js";
import type { ToolInfo } from "../contracts/tools.js";
import { type CompareInput, compareDependency, findChanges } from "../core/compat/compare.js";
import { isPrefix, type JudgedChange, worst } from "../core/compat/judge.js";
import { lockTool, lockedToolInfo, rawEntry } from "../core/compat/lockfile.js";
import { AnalysisCache } from "../analysis/cache.js";
import { openGitRef } from "../git/readAtRef.js";
import { type LiveCatalog, type LiveServer, openLiveCatalog } from "../mcp/liveCatalog.js";
import { loadStates, type SkillState } from "./compat/load.js";
import { selectSkills } from "./shared/selectSkills.js";
import { applyFixes } from "./compat/applyFix.js";
import {
  type CompatChangeReport,
  type CompatDependencyReport,
  type CompatOptions,
  type CompatResult,
  type CompatSkillReport,
  STATUS_ORDER,
} from "./compat/types.js";
import { analyseUsage, type TypecheckTarget, typeErrors, usageLines, type UsageResult } from "./compat/usage.js";

export type * from "./compat/types.js";

interface Dependency {
  key: string;
  range: string;
  input?: CompareInput;
  /** The tool now, as the SDK is generated from it (type check). */
  afterInfo?: ToolInfo;
  report: CompatDependencyReport;
  usageUnknown?: boolean;
  judged?: (JudgedChange & { message: string; hint?: string })[];
}

export async function compat(options: CompatOptions): Promise<CompatResult> {
  const against = options.against ?? "live";
  const { dirs, config } = await selectSkills(options.cwd, options.paths ?? []);
  const tree = against === "live" ? undefined : await openGitRef(options.cwd, against);
  const states = await loadStates(dirs, options.cwd, tree, against, options.baseDirs);
  let live: LiveCatalog | undefined;
  if (!tree) {
    const servers = states
      .filter((s) => !s.error)
      .flatMap((s) => s.declared.map(([key]) => key.slice(0, key.indexOf("/"))));
    live = await openLiveCatalog({
      cwd: options.cwd,
      cacheDir: config.cacheDir,
      servers,
      ...(options.configPath ? { configPath: options.configPath } : {}),
      ...(options.refresh ? { refresh: true } : {}),
      ...(options.onStatus ? { onStatus: options.onStatus } : {}),
    });
  }
  try {
    const existed = existingNames(states);
    const perSkill = states.map((state) => dependenciesOf(state, live, existed, against));
    // only skills with a changed dependency need their code analysed
    const needUsage = states
      .map((state, index) => ({ state, deps: perSkill[index]! }))
      .filter(
        ({ state, deps }) =>
          state.skill && deps.some((d) => d.input && findChanges(d.input).some((c) => !NEEDS_NO_CODE.has(c.rule))),
      );
    options.onStatus?.(`analysing ${needUsage.length} skill${needUsage.length === 1 ? "" : "s"}`);
    const cache = await AnalysisCache.open(config.cacheDir);
    // without the analysis (no Python, say) nothing is known of the code: every change then counts as used
    let analysisFailed: string | undefined;
    const usages = await analyseUsage(
      needUsage.map(({ state, deps }) => ({
        dir: state.dir,
        language: state.skill!.manifest.language,
        declared: deps.map((d) => ({
          key: d.key,
          ...(d.input ? { info: lockedToolInfo(d.key, d.input.before) } : {}),
        })),
      })),
      config.python,
      cache,
    ).catch((error: unknown) => {
      analysisFailed = error instanceof Error ? error.message : String(error);
      return [] as UsageResult[];
    });
    const usageByDir = new Map<string, UsageResult>();
    for (const [i, { state }] of needUsage.entries()) if (usages[i]) usageByDir.set(state.dir, usages[i]!);
    const unanalysed = new Set(analysisFailed ? needUsage.map(({ state }) => state.dir) : []);
    const skills = states.map((state, index) =>
      judgeSkill(
        state,
        perSkill[index]!,
        usageByDir.get(state.dir),
        options,
        live !== undefined,
        cache,
        unanalysed.has(state.dir) ? analysisFailed : undefined,
      ),
    );
    await cache.save();
    const result: CompatResult = { against, strict: options.strict ?? false, skills, summary: summarize(skills) };
    if (options.fix) {
      result.fix = await applyFixes(
        states.map((state, index) => ({ state, deps: perSkill[index]!, usage: usageByDir.get(state.dir) })),
        options.cwd,
      );
    }
    return result;
  } finally {
    await live?.close();
  }
}

/** Tool names each server had before (in any lock): a tool that already existed is not a rename target. */
function existingNames(states: SkillState[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const state of states) {
    for (const entry of Object.values(state.before?.tools ?? {})) {
      const set = names.get(entry.server) ?? new Set<string>();
      set.add(entry.tool.name);
      names.set(entry.server, set);
    }
  }
  return names;
}

function emptyReport(state: SkillState, key: string, range: string): CompatDependencyReport {
  return {
    tool: key,
    range,
    locked: null,
    live: null,
    status: "compatible",
    changes: [],
    hints: [],
    manifestLine: state.manifestLines[key] ?? 1,
  };
}

function dependenciesOf(
  state: SkillState,
  live: LiveCatalog | undefined,
  existed: Map<string, Set<string>>,
  against: string,
): Dependency[] {
  if (state.error || !state.skill) return [];
  return state.declared.map(([key, range]) => {
    const report = emptyReport(state, key, range);
    const dep: Dependency = { key, range, report };
    const server = key.slice(0, key.indexOf("/"));
    const toolName = key.slice(key.indexOf("/") + 1);
    const before = state.before === null ? undefined : state.before?.tools[key];
    if (before) report.locked = { server: before.server, version: before.version };
    if (state.before === null || (live === undefined && !before)) {
      // --against <ref>: a dependency the ref did not have is new; nothing to compare
      const after = state.after?.tools[key];
      if (after) report.live = { server: after.server, version: after.version };
      if (!after) return failed(dep, `${key} is not in tools.lock.json: run \`skills lock ${state.shown}\``);
      report.hints.push(`${key} is not locked at ${against}: a new dependency, nothing to compare`);
      return dep;
    }
    if (!before)
      return failed(
        dep,
        `${key} is declared in manifest.yaml but not in tools.lock.json: run \`skills lock ${state.shown}\``,
      );
    if (live) {
      const now = live.servers.get(server);
      if (!now || now.error)
        return failed(
          dep,
          `${now?.error?.message ?? `server "${server}" is not available`}${now?.error?.hint ? ` (${now.error.hint})` : ""}`,
        );
      const tool = now.tools.find((t) => t.name === toolName);
      const after = tool ? lockedOnce(tool, now.protocolVersion ?? before.protocolVersion) : undefined;
      dep.input = {
        key,
        range,
        before,
        ...(after ? { after } : {}),
        serverNow: {
          name: now.serverInfo?.name ?? server,
          version: now.serverInfo?.version ?? before.serverInfo.version,
          ...(now.protocolVersion ? { protocolVersion: now.protocolVersion } : {}),
        },
        siblings: siblingsOf(now),
        existedBefore: existed.get(before.server) ?? new Set(),
      };
      if (tool) dep.afterInfo = tool;
      return dep;
    }
    const after = state.after?.tools[key];
    if (!after)
      return failed(
        dep,
        `${key} is declared in manifest.yaml but not in tools.lock.json: run \`skills lock ${state.shown}\``,
      );
    const siblings: LockedToolEntry[] = Object.values(state.after ?? { tools: {} }.tools)
      .filter((entry: LockedTool) => entry.server === before.server)
      .map((entry) => entry.tool);
    dep.input = { key, range, before, after, siblings, existedBefore: existed.get(before.server) ?? new Set() };
    dep.afterInfo = lockedToolInfo(key, after);
    return dep;
  });
}

/** Changes whose verdict and words do not depend on the code: a skill with only these is not analysed. */
const NEEDS_NO_CODE = new Set(["version-out-of-range", "protocol-version-changed", "tool-meta-changed"]);

const locked = new WeakMap<ToolInfo, LockedTool>();
const entries = new WeakMap<LiveServer, LockedToolEntry[]>();

/** The server's tools as tools/list entries, once per server however many dependencies it has. */
function siblingsOf(server: LiveServer): LockedToolEntry[] {
  let list = entries.get(server);
  if (!list) {
    list = server.tools.map((tool) => rawEntry(tool));
    entries.set(server, list);
  }
  return list;
}

/** A catalog tool as a lock entry, hashed once however many skills depend on it. */
function lockedOnce(tool: ToolInfo, protocolVersion: string): LockedTool {
  let entry = locked.get(tool);
  if (!entry || entry.protocolVersion !== protocolVersion) {
    entry = lockTool(tool, protocolVersion);
    locked.set(tool, entry);
  }
  return entry;
}

function failed(dep: Dependency, message: string): Dependency {
  dep.report.status = "error";
  dep.report.hints.push(message);
  return dep;
}

function judgeSkill(
  state: SkillState,
  deps: Dependency[],
  usage: UsageResult | undefined,
  options: CompatOptions,
  isLive: boolean,
  cache: AnalysisCache,
  analysisFailed?: string,
): CompatSkillReport {
  const report: CompatSkillReport = {
    name: state.name,
    status: "compatible",
    dir: state.shown,
    manifest: state.manifestFile,
    dependencies: [],
    notes: [...state.notes],
    ...(state.skill ? { language: state.skill.manifest.language } : {}),
  };
  if (state.error) {
    report.status = "error";
    report.error = state.error;
    return report;
  }
  const language = state.skill!.manifest.language;
  const skillUsage: SkillUsage | undefined = usage?.usage;
  if (skillUsage) {
    for (const d of skillUsage.diagnostics.filter((x) => x.severity === "error")) {
      report.notes.push(
        `${relative(".", `${state.shown}/${d.file}`)}:${d.line}:${d.column} ${d.code}: ${d.message} — the code of this file could not be read, so every change counts as used`,
      );
    }
    for (const server of skillUsage.opaqueServers)
      report.notes.push(
        `the code uses servers/${server} in ways the analysis cannot follow: every change of its tools counts as used`,
      );
  }
  if (analysisFailed) report.notes.push(`the code was not analysed (${analysisFailed}): every change counts as used`);
  for (const dep of deps) {
    if (dep.input) {
      const server = dep.key.slice(0, dep.key.indexOf("/"));
      const usageUnknown = skillUsage
        ? skillUsage.diagnostics.some((d) => d.severity === "error") || skillUsage.opaqueServers.includes(server)
        : analysisFailed !== undefined;
      const toolUsage: ToolUsage | undefined = skillUsage?.tools[dep.key];
      const result = compareDependency(dep.input, toolUsage, {
        strict: options.strict ?? false,
        usageUnknown,
        language,
      });
      dep.judged = result.changes;
      dep.report.live = result.live;
      dep.report.status = result.status;
      dep.report.hints.push(...result.hints);
    }
  }
  if (usage && language === "typescript" && options.typecheck !== false) addTypeErrors(deps, usage, state, cache);
  for (const dep of deps) {
    dep.report.changes = (dep.judged ?? []).map((change) => toReport(change, state.shown));
    report.dependencies.push(dep.report);
  }
  for (const key of Object.keys(state.before?.tools ?? {})) {
    if (isLive && !state.declared.some(([declared]) => declared === key)) {
      report.notes.push(
        `tools.lock.json still pins ${key}, which manifest.yaml no longer declares: run \`skills lock ${state.shown}\``,
      );
    }
  }
  const statuses = report.dependencies.map((d) => d.status);
  report.status = statuses.includes("error") ? "error" : worst(statuses as CompatStatus[]);
  return report;
}

function addTypeErrors(deps: Dependency[], usage: UsageResult, state: SkillState, cache: AnalysisCache): void {
  const withInput = deps.filter((d) => d.input);
  // the type checker is asked only where the analysis lost sight of a changed part: a result passed on whole (to a
  // typed helper, say) above a changed field, or arguments built elsewhere
  const inconclusive = withInput.some((d) =>
    d.judged?.some(
      (c) => c.severity !== "compatible" && c.direction !== "tool" && lostSight(usage.usage.tools[d.key], c),
    ),
  );
  if (!inconclusive) return;
  const before = withInput.map((d) => lockedToolInfo(d.key, d.input!.before));
  const after = withInput.flatMap((d) => (d.afterInfo ? [d.afterInfo] : []));
  // a renamed tool's SDK function is generated under its new name
  for (const d of withInput) {
    const renamed = d.judged?.find((c) => c.rule === "tool-renamed");
    const sibling = renamed && d.input!.siblings.find((t) => t.name === renamed.rename!.to);
    if (sibling) after.push({ server: d.input!.before.server, serverInfo: d.input!.before.serverInfo, ...sibling });
  }
  const targets: TypecheckTarget[] = withInput.map((d) => ({
    key: d.key,
    changes: d.judged ?? [],
    usageLines: usageLines(usage.usage, d.key),
  }));
  let found: ReturnType<typeof typeErrors>;
  try {
    found = typeErrors(usage.analysis.sources, before, after, targets, cache);
  } catch (error) {
    state.notes.push(`the TypeScript type check could not run: ${(error as Error).message}`);
    return;
  }
  for (const { key, diagnostic } of found) {
    const dep = withInput.find((d) => d.key === key)!;
    const location = { file: diagnostic.file, line: diagnostic.line, column: diagnostic.column };
    const message = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} ${diagnostic.code}: ${diagnostic.message}`;
    dep.judged!.push({
      rule: "typescript-type-error",
      direction: "tool",
      path: "",
      field: [],
      text: message,
      severity: "incompatible",
      used: true,
      uses: [location],
      message,
      hint: `${message} (against the SDK generated from the new schemas)`,
    });
    dep.report.hints.push(`${message} (against the SDK generated from the new schemas)`);
    dep.report.status = "incompatible";
  }
}

function lostSight(usage: ToolUsage | undefined, change: JudgedChange): boolean {
  for (const call of usage?.calls ?? []) {
    if (change.direction === "request" && call.dynamicArgs) return true;
    if (
      change.direction === "response" &&
      call.reads.some((r) => r.escapes && r.path.length < change.field.length && isPrefix(r.path, change.field))
    ) {
      return true;
    }
  }
  return false;
}

function toReport(change: JudgedChange & { message: string; hint?: string }, skillDir: string): CompatChangeReport {
  const locations = change.uses.map((use) => ({ ...use, file: joinShown(skillDir, use.file) }));
  const seen = new Set<string>();
  const uses = locations
    .map((loc) => ({ file: loc.file, line: loc.line }))
    .filter((use) => {
      const key = `${use.file}:${use.line}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return {
    rule: change.rule,
    direction: change.direction,
    path: change.path,
    severity: change.severity,
    used: change.used,
    uses,
    message: change.message,
    ...(change.hint ? { hint: change.hint } : {}),
    locations,
  };
}

function joinShown(dir: string, file: string): string {
  return dir === "." || dir === "" ? file : `${dir}/${file}`;
}

function summarize(skills: CompatSkillReport[]): Record<CheckStatus, number> {
  const summary = Object.fromEntries(STATUS_ORDER.map((status) => [status, 0])) as Record<CheckStatus, number>;
  for (const skill of skills) summary[skill.status]++;
  return summary;
}
