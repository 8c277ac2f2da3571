/** Options of `skills pii scan`. */
import { isPiiMode, PII_MODES, type PiiMode } from "../../contracts/privacy.js";
import type { PiiScanFormat } from "../../commands/pii.js";
import { SkillsError } from "../../errors.js";
import { lastString } from "./values.js";

const FORMATS: readonly PiiScanFormat[] = ["auto", "json", "jsonl", "text"];

/** `--mode`: a PII mode, or nothing (then the manifest's, else the config's). */
export function parseScanMode(value: unknown): PiiMode | undefined {
  const mode = lastString(value);
  if (mode !== undefined && !isPiiMode(mode)) {
    throw new SkillsError("INVALID_ARGUMENT", `--mode must be one of ${PII_MODES.join(", ")}, not "${mode}"`, {
      hint: "skills pii scan data.json --mode strict",
    });
  }
  return mode;
}

export function parseScanFormat(value: unknown): PiiScanFormat | undefined {
  const format = lastString(value);
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
    throw new SkillsError("INVALID_ARGUMENT", `--format must be one of ${FORMATS.join(", ")}, not "${format}"`, {
      hint: "use --format text for logs and other plain text",
    });
  }
  return format as PiiScanFormat | undefined;
}

/** `--tokenize email,phone`: the detector names; `--tokenize ''` is an empty list (the scan says what is missing). */
export function parseTokenize(value: unknown): string[] | undefined {
  return lastString(value)
    ?.split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** Parses `name=regex` from --pattern. */
export function parsePatternOption(value: string): { name: string; regex: string } {
  const eq = value.indexOf("=");
  if (eq <= 0) {
    throw new SkillsError("INVALID_ARGUMENT", `--pattern "${value}" is not name=regex`, {
      hint: 'write it as --pattern "employee_id=E-\\d{6}"',
    });
  }
  return { name: value.slice(0, eq), regex: value.slice(eq + 1) };
}
