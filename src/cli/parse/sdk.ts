/** Options of `skills sdk`. */
import type { SdkLanguage } from "../../core/codegen/index.js";
import { SkillsError } from "../../errors.js";

export const SDK_LANGUAGES: readonly SdkLanguage[] = ["ts", "python", "both"];

export function parseSdkLanguage(value: string | undefined): SdkLanguage {
  if (value === undefined) return "both";
  if ((SDK_LANGUAGES as readonly string[]).includes(value)) return value as SdkLanguage;
  throw new SkillsError("USAGE", `--lang must be ts, python or both, not "${value}"`, {
    hint: "skills sdk --lang both",
  });
}
