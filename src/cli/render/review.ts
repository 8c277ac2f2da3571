/**
 * `skills review` for people and CI: text for a terminal, a pull-request comment in markdown (one table row per skill,
 * then the findings of each; a hidden marker line lets a workflow update one comment in place), and GitHub workflow
 * annotations. Everything quoted comes from the pull request: markdown and HTML in it are escaped.
 */
import type { ReviewedSkill, ReviewResult } from "../../commands/review.js";
import type { ReviewFinding } from "../../contracts/versioning.js";
import { bumpRank } from "../../core/versioning/bump.js";
import type { CliContext } from "../context.js";
import type { Style } from "../style.js";
import { bumpText } from "./interfaceChanges.js";

/** The first line of the comment: the workflow finds the comment to update by it. */
export const REVIEW_MARKER = "<!-- skills-review: this comment is updated in place by the skills workflow -->";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function versions(skill: ReviewedSkill): string {
  if (skill.change === "added") return skill.to ?? "-";
  if (skill.change === "removed") return skill.from ?? "-";
  return `${skill.from ?? "?"} → ${skill.to ?? "?"}`;
}

function where(finding: ReviewFinding): string {
  return finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ""}` : "";
}

function summary(result: ReviewResult): string {
  const changed = plural(result.skills.length, "changed skill");
  if (result.skills.length === 0) return "no skill changed";
  const blockingSkills = result.skills.filter((s) => s.status === "blocking").length;
  return result.blocking > 0
    ? `${plural(result.blocking, "blocking finding")} in ${blockingSkills} of ${changed}`
    : `${changed}, nothing blocks`;
}

function compared(result: ReviewResult): string {
  const head = result.commits.head ? `${result.head} (${result.commits.head.slice(0, 7)})` : "the work tree";
  return `${result.base} (merge base ${result.commits.mergeBase.slice(0, 7)}) .. ${head}`;
}

export function renderReviewText(result: ReviewResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines = [style.dim(`review ${compared(result)}; ${plural(result.unchanged, "unchanged skill")} not reviewed`)];
  for (const skill of result.skills) {
    const mark = skill.status === "blocking" ? style.red("✗") : style.green("✓");
    const renamed = skill.previousName ? ` ${style.dim(`(was ${skill.previousName})`)}` : "";
    const bump =
      skill.change === "changed" || skill.change === "renamed"
        ? ` · bump ${bumpText(skill.actualBump, style)}, needs ${bumpText(skill.requiredBump, style)}`
        : "";
    lines.push(`${mark} ${style.bold(skill.name)}${renamed} ${skill.change} ${versions(skill)}${bump}`);
    for (const finding of skill.findings) lines.push(`    ${findingLine(finding, style)}`);
  }
  const head = result.blocking > 0 ? style.red("blocked") : style.green("ok");
  lines.push(`${head}: ${summary(result)}`);
  return lines.join("\n");
}

function findingLine(finding: ReviewFinding, style: Style): string {
  const level =
    finding.severity === "error"
      ? style.red("error")
      : finding.severity === "warning"
        ? style.yellow("warning")
        : style.dim("info");
  const at = where(finding);
  return `${level} ${at ? `${at}  ` : ""}${finding.code}  ${finding.message}`;
}

/**
 * Text from the pull request, safe in a table cell or a list item: no HTML, no line breaks, no table pipes, no links
 * or images (a bot's comment must not carry the pull request's "click here").
 */
function md(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/[[\]]/g, "\\$&")
    .replace(/\s*\n\s*/g, " ");
}

/**
 * Inline code that no backtick in the text can close early: the fence is one backtick longer than the longest run
 * inside (CommonMark ends a code span only at a run of the same length).
 */
function code(text: string): string {
  const clean = text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest === 0 ? `${fence}${clean}${fence}` : `${fence} ${clean} ${fence}`;
}

const ICON = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;

export function renderReviewMarkdown(result: ReviewResult): string {
  const ok = result.blocking === 0;
  const lines = [
    REVIEW_MARKER,
    `## ${ok ? "✅" : "❌"} Skills review: ${md(summary(result))}`,
    "",
    `Compared ${code(result.base)} (merge base \`${result.commits.mergeBase.slice(0, 7)}\`) with ${
      result.commits.head ? `${code(result.head)} (\`${result.commits.head.slice(0, 7)}\`)` : "the work tree"
    }; ${plural(result.unchanged, "unchanged skill")} not reviewed.`,
  ];
  if (result.skills.length > 0) {
    lines.push(
      "",
      "| Skill | Change | Version | Bump made | Bump needed | Tests | Compat | Status |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const skill of result.skills) {
      const short = bumpRank(skill.actualBump) < bumpRank(skill.requiredBump);
      const tests = skill.tests
        ? `${skill.tests.passed} passed${skill.tests.failed ? `, ${skill.tests.failed} failed` : ""}`
        : "-";
      const status = skill.status === "blocking" ? "❌ blocking" : "✅ ok";
      const renamed = skill.previousName ? ` (was ${code(skill.previousName)})` : "";
      lines.push(
        `| ${code(skill.name)}${renamed} | ${skill.change} | ${md(versions(skill))} | ${skill.actualBump} | ${
          short ? `**${skill.requiredBump}**` : skill.requiredBump
        } | ${tests} | ${skill.compat ?? "-"} | ${status} |`,
      );
    }
  }
  for (const skill of result.skills) {
    if (skill.findings.length === 0) continue;
    const errors = skill.findings.filter((f) => f.severity === "error").length;
    lines.push(
      "",
      `### ${skill.status === "blocking" ? "❌" : "✅"} ${code(skill.name)}${errors ? `: ${plural(errors, "blocking finding")}` : ""}`,
      "",
    );
    const details = skill.findings.filter((f) => f.severity === "info");
    for (const finding of skill.findings.filter((f) => f.severity !== "info")) lines.push(findingItem(finding));
    if (details.length > 0) {
      lines.push("", `<details><summary>${plural(details.length, "change")} in detail</summary>`, "");
      for (const finding of details) lines.push(findingItem(finding));
      lines.push("", "</details>");
    }
  }
  if (!ok) {
    lines.push(
      "",
      "Fix the ❌ findings and push; `skills review --base <base>` shows the same locally.",
      "A breaking change that is meant: `--allow-breaking` (removals and compat), or raise the version.",
    );
  }
  return `${lines.join("\n")}\n`;
}

function findingItem(finding: ReviewFinding): string {
  const at = where(finding);
  return `- ${ICON[finding.severity]} **${finding.code}**${at ? ` ${code(at)}` : ""} ${md(finding.message)}`;
}

/** GitHub workflow commands: one annotation per error and warning (values escaped as the runner expects). */
export function renderReviewGithub(result: ReviewResult): string {
  const data = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const prop = (text: string) => data(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const lines: string[] = [];
  for (const skill of result.skills) {
    for (const finding of skill.findings) {
      if (finding.severity === "info") continue;
      const level = finding.severity === "error" ? "error" : "warning";
      const props = [
        ...(finding.file ? [`file=${prop(finding.file)}`] : []),
        ...(finding.file && finding.line ? [`line=${finding.line}`] : []),
        `title=${prop(`skills review: ${finding.code}`)}`,
      ];
      lines.push(`::${level} ${props.join(",")}::${data(`${skill.name}: ${finding.message}`)}`);
    }
  }
  lines.push(`skills review: ${summary(result)}`);
  return `${lines.join("\n")}\n`;
}
