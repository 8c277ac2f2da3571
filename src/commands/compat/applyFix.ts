/**
 * `skills compat --fix`: writes the mechanical migrations planned by core/compat/fix.ts into the skill's files and
 * manifest (atomically, only files that change), and returns the unified diff of each file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { assignToolNames, sdkParams } from "../../core/codegen/index.js";
import { type FixContext, type TextEdit, applyEdits, planFixes } from "../../core/compat/fix.js";
import type { JudgedChange } from "../../core/compat/judge.js";
import { unifiedDiff } from "../../core/compat/textDiff.js";
import { isMap, isPair, isScalar, parseDocument } from "yaml";
import { widenedRange } from "../../core/compat/hints.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { writeFileAtomic } from "../../store/atomicWrite.js";
import { displayPath } from "../../core/paths.js";
import type { SkillState } from "./load.js";
import type { FixReport } from "./types.js";
import type { UsageResult } from "./usage.js";

interface FixItem {
  state: SkillState;
  deps: { key: string; judged?: JudgedChange[]; afterInfo?: ToolInfo }[];
  usage: UsageResult | undefined;
}

export async function applyFixes(items: FixItem[], cwd: string): Promise<FixReport> {
  const report: FixReport = { files: [], applied: [], skipped: [], next: [] };
  for (const { state, deps, usage } of items) {
    if (!state.skill || !usage) continue;
    const mechanical = deps.filter((d) => d.judged?.some((c) => c.severity === "migration-needed" && c.rename));
    if (mechanical.length === 0) continue;
    const language = state.skill.manifest.language;
    const edits: TextEdit[] = [];
    const renames: { from: string; to: string }[] = [];
    const ranges = new Map<string, string>();
    for (const dep of mechanical) {
      const ctx: FixContext = {
        key: dep.key,
        usage: usage.usage.tools[dep.key],
        language,
        sources: usage.analysis.sources,
      };
      const toolRename = dep.judged!.find((c) => c.rule === "tool-renamed")?.rename;
      if (toolRename) ctx.toolNames = renamedNames(state, dep.key, toolRename.to);
      if (dep.afterInfo) {
        ctx.pythonParams = new Map(sdkParams(dep.afterInfo).params.map((p) => [p.key, p.python]));
      }
      const plan = planFixes(dep.judged!, ctx);
      // the code now targets the new version: the range follows it
      const outside = dep.judged!.find((c) => c.rule === "version-out-of-range");
      if (plan.applied.length > 0 && outside) {
        ranges.set(dep.key, widenedRange("", String(outside.after)));
        plan.applied.push(`${dep.key}: range ${String(outside.before)} -> ${widenedRange("", String(outside.after))}`);
      }
      edits.push(...plan.edits);
      renames.push(...plan.manifest);
      report.applied.push(...plan.applied.map((line) => `${state.name}: ${line}`));
      report.skipped.push(...plan.skipped.map((line) => `${state.shown}/${line}`));
    }
    let changed = false;
    for (const [file, source] of usage.analysis.sources) {
      const mine = edits.filter((edit) => edit.file === file);
      if (mine.length === 0) continue;
      const next = applyEdits(source, mine);
      if (next === source) continue;
      await writeFileAtomic(join(state.dir, file), next);
      report.files.push({
        file: displayPath(join(state.dir, file), cwd),
        diff: unifiedDiff(displayPath(join(state.dir, file), cwd), source, next),
      });
      changed = true;
    }
    if (renames.length > 0 || ranges.size > 0) {
      const path = join(state.dir, "manifest.yaml");
      const text = await readFile(path, "utf8");
      const next = editManifestTools(text, state.manifestFile, renames, ranges, report.skipped);
      if (next !== text) {
        await writeFileAtomic(path, next);
        report.files.push({ file: state.manifestFile, diff: unifiedDiff(state.manifestFile, text, next) });
        changed = true;
      }
    }
    if (changed) {
      report.next.push(
        `skills test --record ${state.shown}   # re-record the cassettes against the new server (and lock it)`,
      );
      report.next.push(`skills test ${state.shown}`);
    }
  }
  return report;
}

/** The SDK names of the old tool among its server's declared tools, and of the new one once renamed. */
function renamedNames(state: SkillState, key: string, to: string): FixContext["toolNames"] {
  const server = key.slice(0, key.indexOf("/"));
  const from = key.slice(server.length + 1);
  const names = state.declared
    .map(([k]) => k)
    .filter((k) => k.startsWith(`${server}/`))
    .map((k) => k.slice(server.length + 1));
  const before = assignToolNames(names).get(from);
  const after = assignToolNames(names.map((n) => (n === from ? to : n))).get(to);
  if (!before || !after) return undefined;
  return { before: { python: before.python, ts: before.ts }, after: { python: after.python, ts: after.ts } };
}

/** Renames `tools:` keys (and sets ranges) in manifest.yaml's text, keeping everything else as written. */
export function editManifestTools(
  text: string,
  file: string,
  renames: { from: string; to: string }[],
  ranges: Map<string, string>,
  skipped: string[],
): string {
  const doc = parseDocument(text);
  const tools = doc.get("tools", true);
  if (!isMap(tools)) return text;
  const edits: TextEdit[] = [];
  const written = (node: { range?: [number, number, number] | null }, value: string): TextEdit | undefined => {
    if (!node.range) return undefined;
    const [start, end] = node.range;
    const quote = /^['"]/.test(text[start] ?? "") ? text[start]! : "";
    return { file, span: [start, end], text: `${quote}${value}${quote}` };
  };
  for (const pair of tools.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const rename = renames.find((r) => r.from === key);
    const range = ranges.get(key);
    if (rename) {
      const edit = written(pair.key, rename.to);
      if (edit) edits.push(edit);
      else skipped.push(`${file}: rename the dependency ${rename.from} to ${rename.to}`);
    }
    if (range !== undefined && isScalar(pair.value)) {
      const edit = written(pair.value, range);
      if (edit) edits.push(edit);
    }
  }
  return applyEdits(text, edits);
}
