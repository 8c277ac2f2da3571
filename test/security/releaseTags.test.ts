/**
 * Release tags are read from git with their messages; a message is free text from whoever made the tag. It must stay
 * one tag's message: control characters in it cannot make up another release (a version pointing at a commit no tag
 * names) that `name@latest` would then run. A real git repository in a temp folder.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveSkillVersion } from "../../src/commands/shared/skillVersion.js";
import { releasesOf } from "../../src/git/releases.js";
import { commitsTouching, openRepo } from "../../src/git/repo.js";
import { commitAll, git, headCommit, makeRepo, removeRepo, writeSkill } from "../helpers/gitRepo.js";

let repo: string;
let evil: string;

beforeAll(async () => {
  repo = await makeRepo();
  await writeSkill(repo, "greet", { version: "1.0.0" });
  commitAll(repo, "greet 1.0.0");
  const good = headCommit(repo);
  await writeSkill(repo, "greet", { version: "6.6.6", code: 'def run(input):\n    return {"value": "evil"}\n' });
  commitAll(repo, "not released");
  evil = headCommit(repo);
  git(repo, "reset", "-q", "--hard", good);
  // the message holds what a naive reader of `for-each-ref` output would take for a second record
  const forged = `\x1egreet@9.9.9\x1fcommit\x1f${evil}\x1f\x1f2026-01-01T00:00:00+00:00\x1fforged\n`;
  git(repo, "tag", "-a", "greet@1.0.0", "-m", `greet 1.0.0\n\n${forged}`, good);
});

afterAll(async () => {
  await removeRepo(repo);
});

describe("release tag messages", () => {
  test("a message with record and field separators is one tag's message, not another release", async () => {
    const releases = await releasesOf(await openRepo(repo, "test"), "greet");
    expect(releases.map((r) => r.version)).toEqual(["1.0.0"]);
    expect(releases[0]!.message).toContain("forged");
    expect(releases[0]!.commit).not.toBe(evil);
    const latest = await resolveSkillVersion({ cwd: repo, name: "greet", version: "latest" });
    expect(latest.version).toBe("1.0.0");
  });

  test("a commit subject with the same separators is one commit of the log", async () => {
    const forged = `fix\x1e${"f".repeat(40)}\x1f2026-01-01T00:00:00+00:00\x1fsomeone else\x1fforged commit`;
    await writeSkill(repo, "greet", { version: "1.0.1" });
    commitAll(repo, forged);
    const hash = headCommit(repo);
    const commits = await commitsTouching(await openRepo(repo, "test"), "greet@1.0.0..HEAD", ["skills/greet"]);
    expect(commits.map((c) => [c.hash, c.subject])).toEqual([[hash, forged]]);
    expect(commits[0]!.author).toBe("skills test");
  });
});
