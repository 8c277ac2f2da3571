/** The review report model and its renderings: what blocks, --allow-breaking, the PR comment, the annotations. */
import { describe, expect, it } from "vitest";
import type { ReviewedSkill, ReviewResult } from "../../../src/commands/review.js";
import {
  applyPolicy,
  bumpFinding,
  countBlocking,
  reviewJson,
  skillStatus,
  sortFindings,
} from "../../../src/core/review/report.js";
import type { ReviewFinding } from "../../../src/contracts/versioning.js";
import { REVIEW_MARKER, renderReviewGithub, renderReviewMarkdown } from "../../../src/cli/render/review.js";

const finding = (code: string, severity: ReviewFinding["severity"], message = code): ReviewFinding => ({
  code,
  severity,
  message,
  file: "skills/a/manifest.yaml",
  line: 3,
});

describe("bumpFinding", () => {
  it.each([
    [
      "1.0.0",
      "1.0.1",
      "major",
      "patch",
      "the changes need a major bump (1.0.0 -> 2.0.0), but 1.0.0 -> 1.0.1 is a patch bump",
    ],
    [
      "1.0.0",
      "1.0.0",
      "patch",
      "none",
      "the changes need a patch bump (1.0.0 -> 1.0.1), but the version is still 1.0.0",
    ],
    ["1.2.3", "1.3.0", "minor", "minor", undefined],
    ["1.2.3", "2.0.0", "minor", "major", undefined],
    ["1.2.3", "1.2.3", "none", "none", undefined],
  ] as const)("%s -> %s needing %s", (from, to, required, actual, message) => {
    expect(bumpFinding(from, to, required, actual, "m.yaml", 2, false)?.message).toBe(message);
  });

  it("a version that went down is its own finding; added and removed skills have none", () => {
    expect(bumpFinding("2.0.0", "1.0.0", "patch", "none", "m.yaml", 2, true)).toMatchObject({
      code: "VERSION_DECREASED",
      severity: "error",
    });
    expect(bumpFinding(null, "1.0.0", "none", "none", null, null, false)).toBeUndefined();
  });
});

describe("the policy", () => {
  it("errors block; --allow-breaking lets a referenced removal and a breaking compat through as warnings", () => {
    const findings = [
      finding("REMOVED_SKILL_REFERENCED", "error"),
      finding("COMPAT_INCOMPATIBLE", "error"),
      finding("COMPAT_MIGRATION_NEEDED", "error"),
      finding("BUMP_TOO_SMALL", "error"),
      finding("TEST_FAILED", "error"),
      finding("VERSION_INVALID", "error"),
    ];
    expect(skillStatus(findings)).toBe("blocking");
    const allowed = applyPolicy(findings, true);
    expect(allowed.map((f) => [f.code, f.severity])).toEqual([
      ["REMOVED_SKILL_REFERENCED", "warning"],
      ["COMPAT_INCOMPATIBLE", "warning"],
      ["COMPAT_MIGRATION_NEEDED", "warning"],
      ["BUMP_TOO_SMALL", "error"],
      ["TEST_FAILED", "error"],
      ["VERSION_INVALID", "error"],
    ]);
    expect(allowed[0]!.message).toBe("REMOVED_SKILL_REFERENCED (allowed: --allow-breaking)");
    expect(countBlocking([{ findings: allowed }])).toBe(3);
    expect(skillStatus([finding("NO_TESTS", "warning"), finding("INTERFACE_CHANGE", "info")])).toBe("ok");
  });

  it("sorts errors, then warnings, then the rest", () => {
    const sorted = sortFindings([finding("I", "info"), finding("W", "warning"), finding("E", "error")]);
    expect(sorted.map((f) => f.code)).toEqual(["E", "W", "I"]);
  });
});

const skill = (over: Partial<ReviewedSkill>): ReviewedSkill => ({
  name: "weather",
  change: "changed",
  from: "1.0.0",
  to: "1.0.1",
  requiredBump: "major",
  actualBump: "patch",
  status: "blocking",
  findings: [
    finding("BUMP_TOO_SMALL", "error", "the changes need a major bump"),
    finding("INTERFACE_CHANGE", "info", "major: input: new required argument `units`"),
  ],
  path: "skills/weather",
  changes: [],
  tests: { passed: 2, failed: 0 },
  compat: "compatible",
  ...over,
});

const result = (skills: ReviewedSkill[]): ReviewResult => ({
  base: "main",
  head: "worktree",
  skills,
  blocking: countBlocking(skills),
  commits: { base: "a".repeat(40), head: null, mergeBase: "b".repeat(40) },
  unchanged: 198,
});

describe("--format md", () => {
  it("starts with the hidden marker, has one table row per skill, then the details", () => {
    const text = renderReviewMarkdown(
      result([
        skill({}),
        skill({
          name: "greet",
          change: "added",
          from: null,
          to: "0.1.0",
          status: "ok",
          findings: [],
          requiredBump: "none",
          actualBump: "none",
        }),
      ]),
    );
    const lines = text.split("\n");
    expect(lines[0]).toBe(REVIEW_MARKER);
    expect(lines[0]).toMatch(/^<!-- .* -->$/);
    expect(lines[1]).toBe("## ❌ Skills review: 1 blocking finding in 1 of 2 changed skills");
    const rows = lines.filter((line) => line.startsWith("| `"));
    expect(rows).toEqual([
      "| `weather` | changed | 1.0.0 → 1.0.1 | patch | **major** | 2 passed | compatible | ❌ blocking |",
      "| `greet` | added | 0.1.0 | none | none | 2 passed | compatible | ✅ ok |",
    ]);
    expect(text).toContain("### ❌ `weather`: 1 blocking finding");
    expect(text).toContain("- ❌ **BUMP_TOO_SMALL** `skills/a/manifest.yaml:3` the changes need a major bump");
    expect(text).toContain("<details><summary>1 change in detail</summary>");
    expect(text).toContain("198 unchanged skills not reviewed");
  });

  it("escapes what the pull request wrote: no HTML, no broken table, no early end of inline code", () => {
    const text = renderReviewMarkdown(
      result([
        skill({
          findings: [
            finding("VERSION_INVALID", "error", "<img src=x onerror=alert(1)> | ok\n## ✅ all good"),
            { ...finding("TEST_FAILED", "error"), file: "skills/a`b/tests/x.yaml" },
          ],
        }),
      ]),
    );
    expect(text).not.toContain("<img");
    expect(text).toContain("&lt;img src=x onerror=alert(1)&gt; \\| ok ## ✅ all good");
    expect(text).toContain("**TEST_FAILED** `` skills/a`b/tests/x.yaml:3 `` TEST_FAILED");
    expect(text.split("\n").filter((line) => line.startsWith("## "))).toHaveLength(1);
  });

  it("a file name with a run of backticks cannot close its code span; links from the pull request stay text", () => {
    const file = "skills/e/a``b <img src=x> ```c";
    const text = renderReviewMarkdown(
      result([
        skill({
          findings: [
            {
              ...finding(
                "SYMLINK_ESCAPE",
                "error",
                "see [the fix](https://evil.example) ![x](https://evil.example/p.png)",
              ),
              file,
            },
          ],
        }),
      ]),
    );
    // the fence is longer than any run of backticks inside, so the whole name stays code
    expect(text).toContain("**SYMLINK_ESCAPE** ```` skills/e/a``b <img src=x> ```c:3 ```` ");
    expect(text).toContain("see \\[the fix\\](https://evil.example) !\\[x\\](https://evil.example/p.png)");
  });

  it("says so when nothing changed", () => {
    const text = renderReviewMarkdown(result([]));
    expect(text.split("\n")[1]).toBe("## ✅ Skills review: no skill changed");
    expect(text).not.toContain("| Skill |");
  });
});

describe("--format github", () => {
  it("annotates errors and warnings with the runner's escapes; info stays out", () => {
    const text = renderReviewGithub(
      result([
        skill({
          findings: [
            { ...finding("BUMP_TOO_SMALL", "error", "needs major: 100%\nnow"), file: "skills/a,b/manifest.yaml" },
            finding("NO_TESTS", "warning"),
            finding("INTERFACE_CHANGE", "info"),
          ],
        }),
      ]),
    );
    expect(text.split("\n")).toEqual([
      "::error file=skills/a%2Cb/manifest.yaml,line=3,title=skills review%3A BUMP_TOO_SMALL::weather: needs major: 100%25%0Anow",
      "::warning file=skills/a/manifest.yaml,line=3,title=skills review%3A NO_TESTS::weather: NO_TESTS",
      "skills review: 1 blocking finding in 1 of 1 changed skill",
      "",
    ]);
  });
});

describe("--json", () => {
  it("keeps the contract's keys only", () => {
    const json = reviewJson(result([skill({})]));
    expect(JSON.parse(JSON.stringify(json))).toEqual({
      base: "main",
      head: "worktree",
      skills: [
        {
          name: "weather",
          change: "changed",
          from: "1.0.0",
          to: "1.0.1",
          requiredBump: "major",
          actualBump: "patch",
          status: "blocking",
          findings: [
            {
              code: "BUMP_TOO_SMALL",
              severity: "error",
              message: "the changes need a major bump",
              file: "skills/a/manifest.yaml",
              line: 3,
            },
            {
              code: "INTERFACE_CHANGE",
              severity: "info",
              message: "major: input: new required argument `units`",
              file: "skills/a/manifest.yaml",
              line: 3,
            },
          ],
        },
      ],
      blocking: 1,
    });
  });
});
