/** Options of `skills tools`: detail level and result limit. */
import { type Detail, isDetail } from "../../core/discovery/detail.js";
import { DEFAULT_LIMIT } from "../../core/discovery/search.js";
import { SkillsError } from "../../errors.js";

export function parseDetail(value: string | undefined, fallback: Detail): Detail {
  if (value === undefined) return fallback;
  if (!isDetail(value)) {
    throw new SkillsError("INVALID_ARGUMENT", `--detail must be name, summary or full (got "${value}")`, {
      hint: "name: tool keys only; summary: plus the first sentence; full: schemas and signatures",
    });
  }
  return value;
}

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new SkillsError("INVALID_ARGUMENT", `--limit must be a whole number of at least 1 (got "${value}")`, {
      hint: `leave it out for ${DEFAULT_LIMIT}`,
    });
  }
  return limit;
}
