/**
 * The PII policy of a run, from the skill's manifest `privacy:` block and the mode chosen by the exec flag, the
 * manifest or the config default (in that order of precedence).
 */
import { SkillsError } from "../../errors.js";
import type { ManifestPrivacy } from "../skill/types.js";
import { parsePointerPattern } from "./pointer.js";
import { BUILTIN_PII_TYPES, type BuiltinPiiType, type CustomPattern, type PiiMode, type PiiPolicy } from "./types.js";

export const PII_MODES: readonly PiiMode[] = ["off", "default", "strict"];
export const DEFAULT_MIN_CONFIDENCE = 0.5;

const NAME_RE = /^[a-z][a-z0-9_]{0,39}$/;

export function isPiiMode(value: unknown): value is PiiMode {
  return typeof value === "string" && (PII_MODES as readonly string[]).includes(value);
}

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

function parseTypes(tokenize: string[] | undefined): Set<BuiltinPiiType> {
  if (tokenize === undefined) return new Set(BUILTIN_PII_TYPES);
  const types = new Set<BuiltinPiiType>();
  tokenize.forEach((name, i) => {
    if (!(BUILTIN_PII_TYPES as readonly string[]).includes(name)) {
      throw new SkillsError("MANIFEST_INVALID", `privacy.tokenize: unknown detector "${name}"`, {
        pointer: `/privacy/tokenize/${i}`,
        hint: `built-in detectors: ${BUILTIN_PII_TYPES.join(", ")}; add your own under privacy.patterns`,
      });
    }
    types.add(name as BuiltinPiiType);
  });
  return types;
}

function parsePatterns(patterns: ManifestPrivacy["patterns"]): CustomPattern[] {
  const out: CustomPattern[] = [];
  const seen = new Set<string>();
  (patterns ?? []).forEach((p, i) => {
    if (!NAME_RE.test(p.name) || (BUILTIN_PII_TYPES as readonly string[]).includes(p.name) || seen.has(p.name)) {
      throw new SkillsError("MANIFEST_INVALID", `privacy.patterns[${i}]: invalid or duplicate name "${p.name}"`, {
        pointer: `/privacy/patterns/${i}/name`,
        hint: "use a unique lower-case name like employee_id (letters, digits, _), not a built-in detector's name",
      });
    }
    seen.add(p.name);
    let regex: RegExp;
    try {
      regex = new RegExp(p.regex, "g");
    } catch (error) {
      throw new SkillsError(
        "MANIFEST_INVALID",
        `privacy.patterns[${i}] (${p.name}): invalid regex: ${(error as Error).message}`,
        {
          pointer: `/privacy/patterns/${i}/regex`,
          hint: 'write a JavaScript regular expression without slashes or flags, e.g. "E-\\\\d{6}"',
        },
      );
    }
    if (regex.test("")) {
      throw new SkillsError(
        "MANIFEST_INVALID",
        `privacy.patterns[${i}] (${p.name}): the regex matches the empty string`,
        {
          pointer: `/privacy/patterns/${i}/regex`,
          hint: "make the pattern require at least one character (use + instead of *)",
        },
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
  for (const field of fields ?? []) {
    if (field.startsWith("/")) ignorePointers.push(parsePointerPattern(field));
    else ignoreKeys.add(field.toLowerCase());
  }
  return { ignoreKeys, ignorePointers };
}
