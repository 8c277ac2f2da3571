/**
 * SKILL.md frontmatter: the Agent Skills specification as errors, plus the vendor rules of the profiles (reported
 * only when their profile is on: see isReported in ./codes.ts).
 */
import type { Problem } from "../../contracts/problem.js";
import { isPlainObject } from "../json/index.js";
import type { SkillFrontmatter } from "../../contracts/skill.js";
import { type DocumentContext, issueToProblem, notMappingProblem, problemAt } from "./documentContext.js";
import { checkReservedName, checkSkillName, nameHint, suggestSkillName } from "./names.js";
import type { SchemaValidator } from "../../contracts/schema.js";
import { type SchemaIssue, toIssue } from "./issues.js";

export const MAX_DESCRIPTION_LENGTH = 1024;
export const MAX_COMPATIBILITY_LENGTH = 500;

function ownedBySemanticCheck(issue: SchemaIssue): boolean {
  const lengthOrPattern = ["pattern", "maxLength", "minLength"].includes(issue.keyword);
  if (issue.pointer === "/name" && lengthOrPattern) return true;
  if (issue.pointer === "/description" && (issue.keyword === "pattern" || issue.keyword === "maxLength")) return true;
  if (issue.pointer === "/compatibility" && issue.keyword === "maxLength") return true;
  return false;
}

export interface FrontmatterCheckResult {
  frontmatter?: SkillFrontmatter;
  problems: Problem[];
}

export function validateFrontmatter(
  value: unknown,
  validator: SchemaValidator,
  ctx: DocumentContext,
): FrontmatterCheckResult {
  if (!isPlainObject(value)) return { problems: [notMappingProblem(ctx, value, "the SKILL.md frontmatter")] };
  const problems: Problem[] = [];
  for (const issue of validator.validate(value).map(toIssue)) {
    if (ownedBySemanticCheck(issue)) continue;
    if (issue.keyword === "additionalProperties" && issue.pointer.split("/").length === 2) {
      const close = issue.hint?.startsWith("did you mean") ? `${issue.hint} ` : "";
      problems.push(
        issueToProblem(ctx, "FRONTMATTER_UNKNOWN_KEY", {
          ...issue,
          message: `${issue.message}: not part of the Agent Skills specification`,
          hint: `${close}the specification allows name, description, license, compatibility, metadata and allowed-tools; put custom fields under \`metadata:\` as strings`,
        }),
      );
      continue;
    }
    problems.push(issueToProblem(ctx, "FRONTMATTER_SCHEMA", issue));
  }
  if (typeof value.name === "string") {
    const nameIssue = checkSkillName(value.name);
    if (nameIssue)
      problems.push(problemAt(ctx, nameIssue.code, "/name", nameIssue.message, { hint: nameHint(value.name) }));
    const reserved = checkReservedName(value.name);
    if (reserved) {
      problems.push(
        problemAt(ctx, reserved.code, "/name", reserved.message, {
          hint: `the claude profile refuses these words in a name, e.g. ${suggestSkillName(value.name, { dropReserved: true })}`,
        }),
      );
    }
  }
  if (typeof value.description === "string") {
    const description = value.description;
    if (description.length > 0 && description.trim() === "") {
      problems.push(
        problemAt(ctx, "FRONTMATTER_SCHEMA", "/description", "description: must not be empty (it is only whitespace)", {
          hint: "say what the skill does and when to use it",
        }),
      );
    }
    if (description.length > MAX_DESCRIPTION_LENGTH) {
      problems.push(
        problemAt(
          ctx,
          "DESCRIPTION_TOO_LONG",
          "/description",
          `description is ${description.length} characters long; the maximum is ${MAX_DESCRIPTION_LENGTH}`,
          { hint: "shorten it to what the skill does and when to use it; put details in the SKILL.md body" },
        ),
      );
    }
    const bracket = /[<>]/.exec(description);
    if (bracket) {
      problems.push(
        problemAt(
          ctx,
          "DESCRIPTION_ANGLE_BRACKETS",
          "/description",
          `description contains "${bracket[0]}" (at character ${bracket.index + 1})`,
          {
            hint: "remove < and >: the claude profile refuses descriptions that look like XML tags",
          },
        ),
      );
    }
  }
  if (typeof value.compatibility === "string" && value.compatibility.length > MAX_COMPATIBILITY_LENGTH) {
    problems.push(
      problemAt(
        ctx,
        "COMPATIBILITY_TOO_LONG",
        "/compatibility",
        `compatibility is ${value.compatibility.length} characters long; the maximum is ${MAX_COMPATIBILITY_LENGTH}`,
      ),
    );
  }
  const hasShape = typeof value.name === "string" && typeof value.description === "string";
  return hasShape ? { frontmatter: value as unknown as SkillFrontmatter, problems } : { problems };
}
