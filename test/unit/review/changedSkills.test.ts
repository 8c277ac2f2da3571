/** Which skills a change touches, and how: tables of file changes and folders -> classification. */
import { describe, expect, it } from "vitest";
import { touchedSkills } from "../../../src/commands/review/changedSkills.js";
import type { FileChange } from "../../../src/git/diffTrees.js";
import type { SkillFolder } from "../../../src/git/skillFolders.js";

function folder(path: string, files: Record<string, string>): SkillFolder {
  return { path, name: path.split("/").pop()!, tree: `tree-of-${path}`, files: new Map(Object.entries(files)) };
}

const a1 = folder("skills/a", { "SKILL.md": "1", "manifest.yaml": "2", "main.py": "3", "tests/t.yaml": "4" });
const b1 = folder("skills/b", { "SKILL.md": "5", "manifest.yaml": "6", "main.py": "7" });

const summary = (changes: FileChange[], base: SkillFolder[], head: SkillFolder[]) =>
  touchedSkills(changes, base, head).map((t) => [t.change, t.base?.path ?? null, t.head?.path ?? null]);

describe("touchedSkills", () => {
  it("a changed file inside a folder: changed; a file outside any skill: nothing", () => {
    const a2 = folder("skills/a", { ...Object.fromEntries(a1.files), "main.py": "3b" });
    expect(
      summary(
        [
          { status: "M", path: "skills/a/main.py" },
          { status: "M", path: "skills/README.md" },
        ],
        [a1, b1],
        [a2, b1],
      ),
    ).toEqual([["changed", "skills/a", "skills/a"]]);
  });

  it("a new folder is added; a folder gone is removed", () => {
    const c = folder("skills/c", { "SKILL.md": "9" });
    expect(
      summary(
        [
          { status: "A", path: "skills/c/SKILL.md" },
          { status: "D", path: "skills/b/SKILL.md" },
          { status: "D", path: "skills/b/manifest.yaml" },
        ],
        [a1, b1],
        [a1, c],
      ),
    ).toEqual([
      ["removed", "skills/b", null],
      ["added", null, "skills/c"],
    ]);
  });

  it("a file added to an existing skill or deleted from one changes that skill", () => {
    const a2 = folder("skills/a", { ...Object.fromEntries(a1.files), "helpers.py": "8" });
    expect(summary([{ status: "A", path: "skills/a/helpers.py" }], [a1], [a2])).toEqual([
      ["changed", "skills/a", "skills/a"],
    ]);
    const a3 = folder("skills/a", { "SKILL.md": "1", "manifest.yaml": "2", "main.py": "3" });
    expect(summary([{ status: "D", path: "skills/a/tests/t.yaml" }], [a1], [a3])).toEqual([
      ["changed", "skills/a", "skills/a"],
    ]);
  });

  it("a folder that moved under the same name is the same skill", () => {
    const moved = folder("skills/group/a", Object.fromEntries(a1.files));
    const changes: FileChange[] = [...a1.files.keys()].map((file) => ({
      status: "R",
      from: `skills/a/${file}`,
      path: `skills/group/a/${file}`,
    }));
    expect(summary(changes, [a1], [moved])).toEqual([["changed", "skills/a", "skills/group/a"]]);
  });

  it("a new name with most files paired by git, or identical, is a rename", () => {
    const renamed = folder("skills/z", {
      "SKILL.md": "1z",
      "manifest.yaml": "2z",
      "main.py": "3",
      "tests/t.yaml": "4",
    });
    const changes: FileChange[] = [
      { status: "R", from: "skills/a/SKILL.md", path: "skills/z/SKILL.md" },
      { status: "R", from: "skills/a/manifest.yaml", path: "skills/z/manifest.yaml" },
      { status: "R", from: "skills/a/main.py", path: "skills/z/main.py" },
      { status: "R", from: "skills/a/tests/t.yaml", path: "skills/z/tests/t.yaml" },
    ];
    expect(summary(changes, [a1], [renamed])).toEqual([["renamed", "skills/a", "skills/z"]]);
    // git did not pair them (say, untracked), but half the files are the same
    const unpaired: FileChange[] = [
      ...[...a1.files.keys()].map((file): FileChange => ({ status: "D", path: `skills/a/${file}` })),
      ...[...renamed.files.keys()].map((file): FileChange => ({ status: "A", path: `skills/z/${file}` })),
    ];
    expect(summary(unpaired, [a1], [renamed])).toEqual([["renamed", "skills/a", "skills/z"]]);
  });

  it("a new skill that shares little with a removed one is not a rename", () => {
    const other = folder("skills/z", { "SKILL.md": "x", "manifest.yaml": "y", "main.py": "z", "tests/t.yaml": "4" });
    const changes: FileChange[] = [
      ...[...a1.files.keys()].map((file): FileChange => ({ status: "D", path: `skills/a/${file}` })),
      ...[...other.files.keys()].map((file): FileChange => ({ status: "A", path: `skills/z/${file}` })),
    ];
    expect(summary(changes, [a1], [other])).toEqual([
      ["removed", "skills/a", null],
      ["added", null, "skills/z"],
    ]);
  });
});
