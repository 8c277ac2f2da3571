/** The unified diff `skills compat --fix` prints. */
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../../src/core/compat/textDiff.js";

describe("unifiedDiff", () => {
  it("prints one hunk with three lines of context", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h"].join("\n");
    const after = before.replace("e", "E");
    expect(unifiedDiff("x.py", before, after)).toBe(
      ["--- a/x.py", "+++ b/x.py", "@@ -2,7 +2,7 @@", " b", " c", " d", "-e", "+E", " f", " g", " h", ""].join("\n"),
    );
  });

  it("joins changes close together and splits those far apart", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const after = [...lines];
    after[2] = "changed 3";
    after[5] = "changed 6";
    after[25] = "changed 26";
    const diff = unifiedDiff("f", lines.join("\n"), after.join("\n"));
    expect(diff.match(/^@@.*$/gm)).toEqual(["@@ -1,9 +1,9 @@", "@@ -23,7 +23,7 @@"]);
  });

  it("shows added and removed lines, and nothing for equal texts", () => {
    expect(unifiedDiff("f", "a\nb", "a\nx\nb")).toBe("--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n+x\n b\n");
    expect(unifiedDiff("f", "same", "same")).toBe("");
  });
});
