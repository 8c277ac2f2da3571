/**
 * The PII policy of a run, from the skill's manifest `privacy:` block and the mode chosen by the exec flag, the
 * manifest or the config default (in that order of precedence).
 */
import { isPiiMode, PII_MODES } from "../../contracts/privacy.js";
import { SkillsError } from "../../errors.js";
import type { ManifestPrivacy } from "../../contracts/skill.js";
import { checkIgnoreField } from "../validate/ignoreField.js";
import { parsePointerPattern } from "./json/pointer.js";
import { BUILTIN_PII_TYPES, type BuiltinPiiType, type CustomPattern, type PiiMode, type PiiPolicy } from "./types.js";

export const DEFAULT_MIN_CONFIDENCE = 0.5;

export { isPiiMode, PII_MODES };

const NAME_RE = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * @param privacy the manifest's `privacy` block (validated against the schema already; checked again here for
 *   what a schema cannot say: known detector names, compilable regexes)
 * @param mode the exec flag `--pii`, when given: overrides the manifest
 * @param fallbackMode the config default, used when neither the flag nor the manifest sets a mode
 */
export function policyFromManifest(privacy?: ManifestPrivacy, mode?: PiiMode, fallbackMode?: PiiMode): PiiPolicy {
  const chosen = mode ?? privacy?.mode ?? fallbackMode ?? "default";
  if (!isPiiMode(chosen)) {
    throw new SkillsError("INVALID_ARGUMENT", `unknown PII mode "${String(chosen)}"`, {
      pointer: "/privacy/mode",
      hint: `use one of: ${PII_MODES.join(", ")}`,
    });
  }
  return {
    mode: chosen,
    types: parseTypes(privacy?.tokenize),
    patterns: parsePatterns(privacy?.patterns),
    ...parseIgnore(privacy?.ignore_fields),
    minConfidence: DEFAULT_MIN_CONFIDENCE,
  };
}

/**
 * A privacy-block problem. `reason` is the message without the `privacy.<field>[i]: ` prefix, so a caller that got the
 * entry from a command-line option (`skills pii scan --pattern`) can say where it really came from.
 */
function privacyError(field: string, index: number, reason: string, pointer: string, hint: string): SkillsError {
  return new SkillsError("MANIFEST_INVALID", `privacy.${field}[${index}]: ${reason}`, {
    pointer,
    reason,
    hint,
  });
}

function parseTypes(tokenize: string[] | undefined): Set<BuiltinPiiType> {
  if (tokenize === undefined) return new Set(BUILTIN_PII_TYPES);
  const types = new Set<BuiltinPiiType>();
  tokenize.forEach((name, i) => {
    if (!(BUILTIN_PII_TYPES as readonly string[]).includes(name)) {
      throw privacyError(
        "tokenize",
        i,
        `unknown detector "${name}"`,
        `/privacy/tokenize/${i}`,
        `built-in detectors: ${BUILTIN_PII_TYPES.join(", ")}; add your own under privacy.patterns`,
      );
    }
    types.add(name as BuiltinPiiType);
  });
  return types;
}

function parsePatterns(patterns: ManifestPrivacy["patterns"]): CustomPattern[] {
  const out: CustomPattern[] = [];
  const seen = new Set<string>();
  (patterns ?? []).forEach((p, i) => {
    const namePointer = `/privacy/patterns/${i}/name`;
    if ((BUILTIN_PII_TYPES as readonly string[]).includes(p.name)) {
      throw privacyError(
        "patterns",
        i,
        `the name "${p.name}" is the name of a built-in detector`,
        namePointer,
        `list "${p.name}" under privacy.tokenize instead, or rename the pattern`,
      );
    }
    if (seen.has(p.name)) {
      throw privacyError(
        "patterns",
        i,
        `the name "${p.name}" is used by another pattern`,
        namePointer,
        "give each pattern its own name",
      );
    }
    if (!NAME_RE.test(p.name)) {
      throw privacyError(
        "patterns",
        i,
        `the name "${p.name}" is not a lower-case snake_case name of at most 40 characters`,
        namePointer,
        "use a name like employee_id: a lower-case letter, then letters, digits or _ (it becomes the token prefix, [EMPLOYEE_ID_1])",
      );
    }
    seen.add(p.name);
    let regex: RegExp;
    try {
      regex = new RegExp(p.regex, "g");
    } catch (error) {
      throw privacyError(
        "patterns",
        i,
        `(${p.name}) invalid regex: ${(error as Error).message}`,
        `/privacy/patterns/${i}/regex`,
        'write a JavaScript regular expression without slashes or flags, e.g. "E-\\\\d{6}"',
      );
    }
    if (regex.test("")) {
      throw privacyError(
        "patterns",
        i,
        `(${p.name}) the regex matches the empty string`,
        `/privacy/patterns/${i}/regex`,
        "make the pattern require at least one character (use + instead of *)",
      );
    }
    regex.lastIndex = 0;
    out.push({ name: p.name, regex });
  });
  return out;
}

function parseIgnore(fields: string[] | undefined): Pick<PiiPolicy, "ignoreKeys" | "ignorePointers"> {
  const ignoreKeys = new Set<string>();
  const ignorePointers: string[][] = [];
  (fields ?? []).forEach((field, i) => {
    const problem = checkIgnoreField(field);
    if (problem) throw privacyError("ignore_fields", i, problem.message, `/privacy/ignore_fields/${i}`, problem.hint);
    if (field.startsWith("/")) ignorePointers.push(parsePointerPattern(field));
    else ignoreKeys.add(field.toLowerCase());
  });
  return { ignoreKeys, ignorePointers };
}
