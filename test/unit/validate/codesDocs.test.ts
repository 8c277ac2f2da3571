/** docs/skill-format.md lists every problem code with its level, and nothing else. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROBLEM_CODES } from "../../../src/core/validate/codes.js";

const docs = readFileSync(join(import.meta.dirname, "../../../docs/skill-format.md"), "utf8");
const rows = new Map(
  [...docs.matchAll(/^\| `([A-Z_]+)` \| (error|warning) \| (error|warning) \|/gm)].map(
    (m) => [m[1]!, `${m[2]!}/${m[3]!}`] as const,
  ),
);
const LEVELS = { error: "error/error", strict: "warning/error", warning: "warning/warning" } as const;

describe("problem codes in docs/skill-format.md", () => {
  it("documents every code with its level by default and with --strict", () => {
    for (const [code, info] of Object.entries(PROBLEM_CODES)) {
      expect(rows.get(code), code).toBe(LEVELS[info.level]);
    }
  });

  it("documents no code that does not exist", () => {
    expect([...rows.keys()].filter((code) => !(code in PROBLEM_CODES))).toEqual([]);
  });
});
