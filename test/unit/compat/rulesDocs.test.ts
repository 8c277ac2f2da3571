/** docs/compat.md has one row per rule, with the rule's direction, effect and usage, and an example; nothing else. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../../src/core/compat/rules.js";

const docs = readFileSync(join(import.meta.dirname, "../../../docs/compat.md"), "utf8");
const rows = [
  ...docs.matchAll(
    /^\| `([a-z-]+)` \| (tool|request|response) \| (breaking|dangerous|non-breaking) \| ([^|]+) \| ([^|]+) \| (.+) \|$/gm,
  ),
];

describe("the rule table in docs/compat.md", () => {
  it("documents every rule once, as the code defines it, with an example", () => {
    expect(rows.map((row) => row[1])).toEqual(RULES.map((rule) => rule.id));
    for (const rule of RULES) {
      const row = rows.find((r) => r[1] === rule.id)!;
      expect(row[2], rule.id).toBe(rule.direction);
      expect(row[3], rule.id).toBe(rule.effect);
      expect(row[4]!.trim(), rule.id).toBe(`${rule.usage}${rule.mechanical ? ", `--fix`" : ""}`);
      expect(row[5]!.trim(), rule.id).toBe(rule.summary);
      expect(row[6]!.trim().length, rule.id).toBeGreaterThan(10);
    }
  });

  it("names every command page it links", () => {
    for (const page of ["commands/lock.md", "commands/compat.md"]) expect(docs).toContain(`](${page})`);
  });
});
