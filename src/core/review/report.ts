/**
 * The review report model: review's own finding codes, which findings block a merge (and which `--allow-breaking`
 * lets through), a skill's status, the count of blocking findings, and the exact `--json` contract. Pure.
 */
import type { Bump, FindingSeverity, ReviewFinding, ReviewReport, ReviewSkill } from "../../contracts/versioning.js";
import { bumpRank, nextVersion } from "../versioning/bump.js";

/** Codes of review's own findings; the others are the validator's, the test runner's and compat's. */
export const REVIEW_CODES = {
  BUMP_TOO_SMALL: "the version bump is smaller than the changes need",
  VERSION_DECREASED: "the version is lower than at the merge base",
  INTERFACE_CHANGE: "one change to the skill's interface, with the bump it needs",
  INTERFACE_UNREADABLE: "manifest.yaml or SKILL.md does not parse at one side: its interface changes are unknown",
  SKILL_RENAMED: "the skill was renamed (a major change for whoever calls it by name)",
  SKILL_REMOVED: "the skill was removed",
  REMOVED_SKILL_REFERENCED: "a removed skill has releases, and a file still names one of them",
  TEST_FAILED: "a test case failed on replay",
  COMPAT_WARNING: "compat of the lock: a change to review",
  COMPAT_MIGRATION_NEEDED: "compat of the lock: the code needs a (mechanical) migration",
  COMPAT_INCOMPATIBLE: "compat of the lock: the code breaks against the tools as locked now",
  COMPAT_ERROR: "compat of the lock could not be checked (no lock, a broken lock)",
} as const;

/** Findings that record a deliberate break: `--allow-breaking` turns them into warnings. */
export const BREAKING_CODES: ReadonlySet<string> = new Set([
  "REMOVED_SKILL_REFERENCED",
  "COMPAT_MIGRATION_NEEDED",
  "COMPAT_INCOMPATIBLE",
]);

const SEVERITY_ORDER: FindingSeverity[] = ["error", "warning", "info"];

/** Errors first, then warnings, then the rest; by file and line within each. */
export function sortFindings(findings: ReviewFinding[]): ReviewFinding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0),
  );
}

/** The findings under the policy: with `allowBreaking`, the breaking ones are warnings. */
export function applyPolicy(findings: ReviewFinding[], allowBreaking: boolean): ReviewFinding[] {
  if (!allowBreaking) return findings;
  return findings.map((finding) =>
    finding.severity === "error" && BREAKING_CODES.has(finding.code)
      ? { ...finding, severity: "warning", message: `${finding.message} (allowed: --allow-breaking)` }
      : finding,
  );
}

export function skillStatus(findings: ReviewFinding[]): ReviewSkill["status"] {
  return findings.some((finding) => finding.severity === "error") ? "blocking" : "ok";
}

export function countBlocking(skills: Pick<ReviewSkill, "findings">[]): number {
  return skills.reduce((n, skill) => n + skill.findings.filter((f) => f.severity === "error").length, 0);
}

/** The bump check of a changed skill: nothing, a version that went down, or a bump smaller than the changes need. */
export function bumpFinding(
  from: string | null,
  to: string | null,
  required: Bump,
  actual: Bump,
  file: string | null,
  line: number | null,
  versionWentDown: boolean,
): ReviewFinding | undefined {
  if (from === null || to === null) return undefined;
  if (versionWentDown) {
    return {
      code: "VERSION_DECREASED",
      severity: "error",
      message: `the version went down from ${from} to ${to}; versions only go up`,
      file,
      line,
    };
  }
  if (required === "none" || bumpRank(actual) >= bumpRank(required)) return undefined;
  const made = actual === "none" ? `the version is still ${to}` : `${from} -> ${to} is a ${actual} bump`;
  const next = nextVersion(from, required);
  return {
    code: "BUMP_TOO_SMALL",
    severity: "error",
    message: `the changes need a ${required} bump${next ? ` (${from} -> ${next})` : ""}, but ${made}`,
    file,
    line,
  };
}

/** `skills review --json`: exactly the contract's keys, in its order. */
export function reviewJson(report: ReviewReport): ReviewReport {
  return {
    base: report.base,
    head: report.head,
    skills: report.skills.map((skill) => ({
      name: skill.name,
      change: skill.change,
      from: skill.from,
      to: skill.to,
      requiredBump: skill.requiredBump,
      actualBump: skill.actualBump,
      status: skill.status,
      findings: skill.findings.map((f) => ({
        code: f.code,
        severity: f.severity,
        message: f.message,
        file: f.file,
        line: f.line,
      })),
    })),
    blocking: report.blocking,
  };
}
