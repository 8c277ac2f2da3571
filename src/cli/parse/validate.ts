/** Options of `skills validate` and `skills list`: the vendor profile. */
import { isValidationProfile, VALIDATION_PROFILES, type ValidationProfile } from "../../core/validate/codes.js";
import { closestMatches } from "../../core/validate/suggest.js";
import { SkillsError } from "../../errors.js";
import { lastString } from "./values.js";

/** `--profile claude` -> the profile; an unknown name is a usage error with the known ones. */
export function parseProfile(value: unknown): ValidationProfile | undefined {
  const text = lastString(value);
  if (text === undefined) return undefined;
  if (isValidationProfile(text)) return text;
  const known = Object.keys(VALIDATION_PROFILES);
  const close = closestMatches(text, known);
  throw new SkillsError("INVALID_ARGUMENT", `unknown --profile "${text}"`, {
    hint: close.length > 0 ? `did you mean "${close[0]}"?` : `profiles: ${known.join(", ")}`,
  });
}
