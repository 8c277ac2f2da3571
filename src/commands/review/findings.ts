/**
 * What validate, test and compat say about a skill, and its interface diff, as review findings: the validator's and
 * the test runner's own codes, compat's verdict per dependency, review's own codes for the rest. Files are named
 * relative to the repository root, also for a skill unpacked from another commit.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { Problem } from "../../contracts/problem.js";
import type { InterfaceChange, ReviewFinding } from "../../contracts/versioning.js";
import type { SkillTestResult } from "../../core/testing/results.js";
import { parseYaml } from "../../core/yaml/index.js";
import type { CompatSkillReport } from "../compat.js";

/** Turns a path as a command printed it (relative to the working directory, maybe in the cache) into a repo path. */
export type RepoFile = (file: string) => string;

export function repoFileMapper(cwd: string, root: string, dirs: { disk: string; repo: string }[]): RepoFile {
  return (file) => {
    const abs = isAbsolute(file) ? file : resolve(cwd, file);
    for (const dir of dirs) {
      if (abs === dir.disk || abs.startsWith(`${dir.disk}${sep}`)) {
        const rest = abs.slice(dir.disk.length + 1);
        return rest ? `${dir.repo}/${rest.split(sep).join("/")}` : dir.repo;
      }
    }
    const inside = relative(root, abs);
    return inside.startsWith("..") ? file : inside.split(sep).join("/");
  };
}

function flat(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function fromProblem(problem: Problem, file: RepoFile, severity = problem.severity): ReviewFinding {
  return {
    code: problem.code,
    severity,
    message: flat(`${problem.message}${problem.hint ? ` (${problem.hint})` : ""}`),
    file: file(problem.file),
    line: problem.line,
  };
}

export function validationFindings(errors: Problem[], warnings: Problem[], file: RepoFile): ReviewFinding[] {
  return [...errors, ...warnings].map((problem) => fromProblem(problem, file));
}

export function testFindings(result: SkillTestResult, file: RepoFile): ReviewFinding[] {
  const out: ReviewFinding[] = [];
  for (const testCase of result.cases) {
    if (testCase.status === "failed") {
      const why =
        testCase.failures.map((f) => f.message).join("; ") || testCase.run?.error?.message || "the case failed";
      out.push({
        code: "TEST_FAILED",
        severity: "error",
        message: flat(`${testCase.name}: ${why}`),
        file: file(testCase.file),
        line: testCase.line,
      });
    } else if (testCase.status === "error") {
      for (const problem of testCase.problems) out.push(fromProblem(problem, file, "error"));
    }
    for (const warning of testCase.warnings) out.push(fromProblem(warning, file, "warning"));
  }
  for (const warning of result.warnings) out.push(fromProblem(warning, file, "warning"));
  return out;
}

const COMPAT_CODES = {
  warning: ["COMPAT_WARNING", "warning"],
  "migration-needed": ["COMPAT_MIGRATION_NEEDED", "error"],
  incompatible: ["COMPAT_INCOMPATIBLE", "error"],
  error: ["COMPAT_ERROR", "error"],
} as const;

export function compatFindings(report: CompatSkillReport, file: RepoFile): ReviewFinding[] {
  const out: ReviewFinding[] = [];
  // an invalid skill is reported by validation already
  if (report.error && report.error.code !== "SKILL_INVALID") {
    out.push({
      code: report.error.code,
      severity: "error",
      message: flat(`${report.error.message}${report.error.hint ? ` (${report.error.hint})` : ""}`),
      file: file(report.error.file ?? report.manifest),
      line: null,
    });
  }
  for (const dep of report.dependencies) {
    if (dep.status === "compatible") continue;
    const [code, severity] = COMPAT_CODES[dep.status];
    const what = dep.changes.find((c) => c.severity === dep.status) ?? dep.changes[0];
    const detail = [what?.message, what?.hint ?? dep.hints[0]].filter(Boolean).join("; ");
    out.push({
      code,
      severity,
      message: flat(`${dep.tool}: ${detail || dep.status}`),
      file: file(report.manifest),
      line: dep.manifestLine,
    });
  }
  return out;
}

/** One INTERFACE_CHANGE per change, at its line in the head's manifest.yaml (SKILL.md for name and description). */
export function interfaceFindings(
  changes: InterfaceChange[],
  skillPath: string,
  manifestText: string | undefined,
  skillMdText: string | undefined,
): ReviewFinding[] {
  const parsed = manifestText === undefined ? undefined : parseYaml(manifestText, { file: "manifest.yaml" });
  const skillMdLine = (key: string) => {
    const index = (skillMdText ?? "").split(/\r?\n/).findIndex((row) => row.startsWith(`${key}:`));
    return index >= 0 ? index + 1 : null;
  };
  return changes.map((change) => {
    const inSkillMd = change.rule === "skill-renamed" || change.rule === "description-changed";
    const line = inSkillMd
      ? skillMdLine(change.rule === "skill-renamed" ? "name" : "description")
      : parsed?.ok
        ? parsed.locate(change.path, "key").line
        : null;
    return {
      code: "INTERFACE_CHANGE",
      severity: "info",
      message: `${change.bump}: ${change.message} [${change.rule}]`,
      file: `${skillPath}/${inSkillMd ? "SKILL.md" : "manifest.yaml"}`,
      line,
    };
  });
}

/** The line of `version:` in a manifest's text (for the bump findings). */
export function versionLine(manifestText: string | undefined): number | null {
  if (manifestText === undefined) return null;
  const parsed = parseYaml(manifestText, { file: "manifest.yaml" });
  return parsed.ok ? parsed.locate("/version", "value").line : null;
}
