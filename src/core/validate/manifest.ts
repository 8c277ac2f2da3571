/** manifest.yaml: schema validation plus the semantic checks a schema cannot express. */

import { isAbsolute, normalize } from "node:path/posix";
import semver from "semver";
import type { Problem } from "../../contracts/problem.js";
import type { SchemaValidator } from "../../contracts/schema.js";
import type { Manifest } from "../../contracts/skill.js";
import { isPlainObject, joinPointer } from "../json/index.js";
import { type DocumentContext, issueToProblem, notMappingProblem, problemAt } from "./documentContext.js";
import { checkIgnoreField } from "./ignoreField.js";
import { type SchemaIssue, toIssue } from "./issues.js";
import { checkJsonSchema } from "./jsonSchema.js";
import { unknownKeywords } from "./schemaKeywords.js";
import { checkSkillName, nameHint } from "./names.js";
import { hasExponentialBacktracking } from "./regexRisk.js";

export const TOOL_KEY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

const EXTENSIONS: Record<string, string[]> = {
  python: [".py"],
  typescript: [".ts", ".mts"],
  javascript: [".js", ".mjs"],
};

/** Schema keywords whose failures the semantic checks below report with a sharper code and message. */
function ownedBySemanticCheck(issue: SchemaIssue): boolean {
  const lengthOrPattern = ["pattern", "maxLength", "minLength"].includes(issue.keyword);
  if (issue.pointer === "/name" && lengthOrPattern) return true;
  if (issue.pointer === "/version" && issue.keyword === "pattern") return true;
  if (issue.pointer === "/tools" && (issue.keyword === "propertyNames" || issue.keyword === "pattern")) return true;
  if (/^\/privacy\/patterns\/\d+\/name$/.test(issue.pointer) && issue.keyword === "pattern") return true;
  return false;
}

export interface ManifestCheckResult {
  /** Set when name and entry are usable for cross-file checks (the manifest may still have problems). */
  manifest?: Manifest;
  problems: Problem[];
}

export function validateManifest(
  value: unknown,
  validator: SchemaValidator,
  ctx: DocumentContext,
): ManifestCheckResult {
  if (!isPlainObject(value)) return { problems: [notMappingProblem(ctx, value, "manifest.yaml")] };
  const problems: Problem[] = [];
  for (const issue of validator.validate(value).map(toIssue)) {
    if (ownedBySemanticCheck(issue)) continue;
    const versionAsNumber = issue.pointer === "/version" && issue.keyword === "type";
    const adjusted = versionAsNumber
      ? { ...issue, hint: "a version is MAJOR.MINOR.PATCH, e.g. 1.0.0 (YAML reads 1.0 as a number)" }
      : issue;
    problems.push(
      issueToProblem(
        ctx,
        issue.keyword === "additionalProperties" ? "MANIFEST_UNKNOWN_KEY" : "MANIFEST_SCHEMA",
        adjusted,
      ),
    );
  }
  if (typeof value.name === "string") {
    const nameIssue = checkSkillName(value.name);
    if (nameIssue)
      problems.push(problemAt(ctx, nameIssue.code, "/name", nameIssue.message, { hint: nameHint(value.name) }));
  }
  if (typeof value.version === "string" && !isStrictSemver(value.version)) {
    problems.push(
      problemAt(
        ctx,
        "VERSION_INVALID",
        "/version",
        `version ${JSON.stringify(value.version)} is not a semantic version`,
        {
          hint: `use MAJOR.MINOR.PATCH${semver.coerce(value.version) ? `, e.g. ${semver.coerce(value.version)?.version}` : ", e.g. 1.0.0"}`,
        },
      ),
    );
  }
  if (isPlainObject(value.tools)) problems.push(...checkTools(value.tools, ctx));
  if (typeof value.entry === "string") problems.push(...checkEntryPath(value.entry, value.language, ctx));
  for (const key of ["input", "output"] as const) {
    const schema = value[key];
    if (!isPlainObject(schema)) continue;
    const issues = [
      ...checkJsonSchema(schema).map((issue) => ({ code: "JSON_SCHEMA_INVALID" as const, issue })),
      ...unknownKeywords(schema).map((issue) => ({ code: "JSON_SCHEMA_UNKNOWN_KEYWORD" as const, issue })),
    ];
    for (const { code, issue } of issues) {
      problems.push(
        problemAt(
          ctx,
          code,
          `/${key}${issue.pointer}`,
          `${key}${issue.pointer.replace(/\//g, ".")}: ${issue.message}`,
          {
            target: issue.target,
            hint: issue.hint ?? "see https://json-schema.org/understanding-json-schema",
          },
        ),
      );
    }
  }
  problems.push(...checkPrivacyPatterns(value.privacy, ctx), ...checkIgnoreFields(value.privacy, ctx));
  // Cross-file checks (names, entry) still run on a manifest with other problems, as long as these are usable.
  const hasShape =
    typeof value.name === "string" &&
    typeof value.entry === "string" &&
    !problems.some((p) => p.code === "PATH_ESCAPE");
  return hasShape ? { manifest: value as unknown as Manifest, problems } : { problems };
}

/** semver.parse accepts "v1.2.0", "=1.2.0" and surrounding spaces; a manifest version must be the bare form. */
export function isStrictSemver(version: string): boolean {
  return /^\d/.test(version) && version.trim() === version && semver.parse(version) !== null;
}

function checkTools(tools: Record<string, unknown>, ctx: DocumentContext): Problem[] {
  const problems: Problem[] = [];
  for (const [key, range] of Object.entries(tools)) {
    const pointer = joinPointer("/tools", key);
    if (!TOOL_KEY_PATTERN.test(key)) {
      problems.push(
        problemAt(ctx, "TOOL_KEY_INVALID", pointer, `tool key ${JSON.stringify(key)} is not "<server>/<tool>"`, {
          target: "key",
          hint: 'write the server name from .mcp.json, a slash and the tool name, e.g. "filesystem/read_text_file"',
        }),
      );
    }
    if (typeof range === "string" && range.trim() !== "" && semver.validRange(range) === null) {
      problems.push(
        problemAt(
          ctx,
          "TOOL_RANGE_INVALID",
          pointer,
          `${JSON.stringify(range)} is not a valid semver range for ${key}`,
          {
            hint: 'use a range like ^1.2.0, ~0.3.1, ">=1.0.0 <2" or "*"',
          },
        ),
      );
    }
  }
  return problems;
}

function checkEntryPath(entry: string, language: unknown, ctx: DocumentContext): Problem[] {
  if (isAbsolute(entry) || /^[A-Za-z]:[\\/]/.test(entry) || normalize(entry.replace(/\\/g, "/")).startsWith("..")) {
    return [problemAt(ctx, "PATH_ESCAPE", "/entry", `entry ${JSON.stringify(entry)} is outside the skill folder`)];
  }
  if (typeof language !== "string") return [];
  const allowed = EXTENSIONS[language];
  if (!allowed) return [];
  if (!allowed.some((ext) => entry.endsWith(ext))) {
    return [
      problemAt(
        ctx,
        "ENTRY_LANGUAGE_MISMATCH",
        "/entry",
        `entry ${JSON.stringify(entry)} does not look like ${language} (expected ${allowed.join(" or ")})`,
        {
          hint: `rename the entry to main${allowed[0]} or change \`language\``,
        },
      ),
    ];
  }
  return [];
}

/** The built-in PII detectors (schemas/manifest.schema.json lists the same names under privacy.tokenize). */
export const PII_DETECTORS = ["email", "phone", "ssn", "credit_card", "ip", "secret", "iban"] as const;

/** A privacy pattern's name (the schema has the same pattern; this check reports it with a hint). */
const PATTERN_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** What the PII policy refuses at run time, found at validate time: bad or empty-matching regexes, clashing names. */
function checkPrivacyPatterns(privacy: unknown, ctx: DocumentContext): Problem[] {
  if (!isPlainObject(privacy) || !Array.isArray(privacy.patterns)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  privacy.patterns.forEach((pattern, i) => {
    if (!isPlainObject(pattern)) return;
    if (typeof pattern.name === "string") {
      const clash = (PII_DETECTORS as readonly string[]).includes(pattern.name)
        ? "is the name of a built-in detector"
        : seen.has(pattern.name)
          ? "is used by another pattern"
          : !PATTERN_NAME.test(pattern.name)
            ? "is not a lower-case snake_case name of at most 40 characters"
            : undefined;
      if (clash) {
        problems.push(
          problemAt(
            ctx,
            "PRIVACY_PATTERN_NAME",
            `/privacy/patterns/${i}/name`,
            `privacy pattern name "${pattern.name}" ${clash}`,
            {
              hint: (PII_DETECTORS as readonly string[]).includes(pattern.name)
                ? `list "${pattern.name}" under privacy.tokenize instead, or rename the pattern`
                : seen.has(pattern.name)
                  ? "give each pattern its own name"
                  : "use a name like employee_id: a lower-case letter, then letters, digits or _ (it becomes the token prefix, [EMPLOYEE_ID_1])",
            },
          ),
        );
      }
      seen.add(pattern.name);
    }
    if (typeof pattern.regex !== "string") return;
    const label = JSON.stringify(pattern.name ?? i);
    const pointer = `/privacy/patterns/${i}/regex`;
    let regex: RegExp;
    try {
      regex = new RegExp(pattern.regex, "g");
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(
        problemAt(ctx, "PRIVACY_REGEX_INVALID", pointer, `privacy pattern ${label}: ${reason}`, {
          hint: "fix the JavaScript regular expression; in double-quoted YAML write \\\\d for \\d, or use single quotes",
        }),
      );
      return;
    }
    if (regex.test("")) {
      problems.push(
        problemAt(ctx, "PRIVACY_REGEX_INVALID", pointer, `privacy pattern ${label} matches the empty string`, {
          hint: "make the pattern require at least one character (use + instead of *)",
        }),
      );
    } else if (hasExponentialBacktracking(pattern.regex)) {
      // it runs in the host over every tool result, which a server (or what it read) controls
      problems.push(
        problemAt(ctx, "PRIVACY_REGEX_INVALID", pointer, `privacy pattern ${label} can take exponential time`, {
          hint: "a group repeated without bound holds only repeated or optional parts: give it a mandatory separator, e.g. (\\d+-)*\\d+ instead of (\\d+-?)+",
        }),
      );
    }
  });
  return problems;
}

/** `ignore_fields` entries that could never match (a key name with a slash, a stray ~, **): the rule is in ./ignoreField.ts. */
function checkIgnoreFields(privacy: unknown, ctx: DocumentContext): Problem[] {
  if (!isPlainObject(privacy) || !Array.isArray(privacy.ignore_fields)) return [];
  const problems: Problem[] = [];
  privacy.ignore_fields.forEach((field, i) => {
    if (typeof field !== "string" || field === "") return;
    const problem = checkIgnoreField(field);
    if (problem) {
      problems.push(
        problemAt(
          ctx,
          "PRIVACY_IGNORE_INVALID",
          `/privacy/ignore_fields/${i}`,
          `privacy.ignore_fields.${i}: ${problem.message}`,
          {
            hint: problem.hint,
          },
        ),
      );
    }
  });
  return problems;
}
