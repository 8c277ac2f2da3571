/** Options of `skills test`. */
import { SkillsError } from "../../errors.js";
import { lastString } from "./values.js";

export function parseConcurrency(value: unknown): number | undefined {
  const text = lastString(value);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new SkillsError("INVALID_ARGUMENT", `--concurrency must be a whole number from 1 to 256, got "${text}"`, {
      hint: "e.g. --concurrency 4",
    });
  }
  return n;
}
