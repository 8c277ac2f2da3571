/** docs/skill-format.md lists every problem code with its level (or its profile), and nothing else. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ProblemCodeInfo, PROBLEM_CODES } from "../../../src/core/validate/codes.js";

const docs = readFileSync(join(import.meta.dirname, "../../../docs/skill-format.md"), "utf8");
const rows = new Map(
  [...docs.matchAll(/^\| `([A-Z_]+)` \| (error|warning) \| (error|warning) \|/gm)].map(
    (m) => [m[1]!, `${m[2]!}/${m[3]!}`] as const,
  ),
);
const profileRows = new Map(
  [...docs.matchAll(/^\| `([A-Z_]+)` \| `([a-z]+)` \|/gm)].map((m) => [m[1]!, m[2]!] as const),
);
const LEVELS = { error: "error/error", strict: "warning/error", warning: "warning/warning" } as const;
const codes = Object.entries(PROBLEM_CODES as Record<string, ProblemCodeInfo>);

describe("problem codes in docs/skill-format.md", () => {
  it("documents every code with its level by default and with --strict", () => {
    for (const [code, info] of codes) {
      if (info.level === "profile") expect(profileRows.get(code), code).toBe(info.profile);
      else expect(rows.get(code), code).toBe(LEVELS[info.level]);
    }
  });

  it("documents no code that does not exist", () => {
    expect([...rows.keys(), ...profileRows.keys()].filter((code) => !(code in PROBLEM_CODES))).toEqual([]);
  });
});
