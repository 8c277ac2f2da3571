/**
 * Usage for `skills compat`: analyse only the skills some dependency of which changed (a skill whose tools are as
 * locked needs no parse), and type-check TypeScript skills against the SDK of the new schemas, turning the errors
 * the analysis did not explain into `typescript-type-error` changes.
 */
import { join } from "node:path";
import { type AnalysisCache, type SkillAnalysis, analyseSkills, typecheckSkills } from "../../analysis/index.js";
import type { SkillUsage, SourceDiagnostic } from "../../contracts/compat.js";
import type { ToolInfo } from "../../contracts/tools.js";
import type { JudgedChange } from "../../core/compat/judge.js";
import { type DeclaredTool, resolveUsage } from "../../core/compat/usage.js";

export interface UsageRequest {
  dir: string;
  language: "python" | "typescript" | "javascript";
  declared: DeclaredTool[];
}

export interface UsageResult {
  usage: SkillUsage;
  analysis: SkillAnalysis;
}

export async function analyseUsage(
  requests: UsageRequest[],
  python: string | undefined,
  cache: AnalysisCache,
): Promise<UsageResult[]> {
  const analyses = await analyseSkills(
    requests.map((r) => ({ dir: r.dir, language: r.language })),
    { ...(python ? { python } : {}), cache },
  );
  return requests.map((request, index) => {
    const analysis = analyses[index]!;
    return { analysis, usage: resolveUsage(analysis.analyses, request.declared) };
  });
}

export interface TypecheckTarget {
  key: string;
  changes: JudgedChange[];
  usageLines: Set<string>;
}

/**
 * The type errors only the new SDK causes, minus those on a line a change already explains. Each remaining error is
 * given to the dependency used on its line (else the first one with a breaking change).
 */
export function typeErrors(
  sources: Map<string, string>,
  before: ToolInfo[],
  after: ToolInfo[],
  targets: TypecheckTarget[],
  cache: AnalysisCache,
): { key: string; diagnostic: SourceDiagnostic }[] {
  const files = [...sources].filter(([file]) => /\.(m|c)?ts$/.test(file)).map(([file, source]) => ({ file, source }));
  if (files.length === 0) return [];
  const diagnostics = typecheckSkills([{ sources: files, before, after }], cache)[0] ?? [];
  const out: { key: string; diagnostic: SourceDiagnostic }[] = [];
  for (const diagnostic of diagnostics) {
    const line = `${diagnostic.file}:${diagnostic.line}`;
    const explained = targets.some((t) =>
      t.changes.some((c) => c.severity !== "compatible" && c.uses.some((u) => `${u.file}:${u.line}` === line)),
    );
    if (explained) continue;
    const owner =
      targets.find((t) => t.usageLines.has(line)) ??
      targets.find((t) => t.changes.some((c) => c.severity === "incompatible" || c.severity === "migration-needed")) ??
      targets[0];
    if (owner) out.push({ key: owner.key, diagnostic });
  }
  return out;
}

/** `file:line` of everything the skill's code does with one tool. */
export function usageLines(usage: SkillUsage, key: string): Set<string> {
  const lines = new Set<string>();
  for (const call of usage.tools[key]?.calls ?? []) {
    lines.add(`${call.location.file}:${call.location.line}`);
    for (const arg of call.args) lines.add(`${arg.location.file}:${arg.location.line}`);
    for (const read of call.reads) lines.add(`${read.location.file}:${read.location.line}`);
  }
  return lines;
}

export function relativeTo(dir: string, file: string): string {
  return join(dir, file);
}
