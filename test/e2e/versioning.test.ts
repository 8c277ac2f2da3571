/** The built binary: init, release, log, diff and review as a user runs them — output, exit codes, usage errors. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { skillsSync } from "../helpers/cli.js";
import { GIT_ENV, commitAll, git, removeRepo, writeSkill } from "../helpers/gitRepo.js";

let scratch: string;
let project: string;
const run = (args: string[]) => skillsSync(args, { cwd: project, env: GIT_ENV, timeout: 120_000 });

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "skills-e2e-versions-"));
  project = join(scratch, "project");
  const init = skillsSync(["init", "project"], { cwd: scratch, env: GIT_ENV, timeout: 120_000 });
  expect(init.code).toBe(0);
  expect(init.stdout).toMatch(/^✓ a skills project in project\n/);
  git(project, "config", "user.name", GIT_ENV.GIT_AUTHOR_NAME);
  git(project, "config", "user.email", GIT_ENV.GIT_AUTHOR_EMAIL);
  commitAll(project, "A skills project");
}, 120_000);

afterAll(async () => {
  await removeRepo(scratch);
});

describe("release, log, diff", () => {
  test("release tags, log lists, a second release of the same tree is refused (exit 1)", () => {
    const released = run(["release", "sum-numbers"]);
    expect(released.code).toBe(0);
    expect(released.stdout).toMatch(/^✓ released sum-numbers 1\.0\.0: tag sum-numbers@1\.0\.0 on [0-9a-f]{12}\n/);
    const again = run(["release", "sum-numbers", "--bump", "patch"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/RELEASE_REFUSED\s+nothing changed in skills\/sum-numbers since sum-numbers@1\.0\.0/);
    const log = run(["log", "sum-numbers", "--json"]);
    expect(log.code).toBe(0);
    expect(JSON.parse(log.stdout).releases.map((r: { version: string }) => r.version)).toEqual(["1.0.0"]);
  });

  test("a bad --bump is a usage error (exit 2)", () => {
    const out = run(["release", "sum-numbers", "--bump", "huge"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--bump must be one of major, minor, patch, not "huge"');
  });

  test("diff of the work tree against the last release", async () => {
    await writeSkill(project, "sum-numbers", {
      version: "1.0.0",
      input: {
        type: "object",
        properties: { numbers: { type: "array" }, label: { type: "string" } },
        required: ["numbers"],
      },
      output: {
        type: "object",
        properties: { total: { type: "number" }, calls: { type: "integer" } },
        required: ["total", "calls"],
      },
      tools: { "everything/get-sum": "^2.0.0" },
      code: (await import("node:fs")).readFileSync(join(project, "skills/sum-numbers/main.py"), "utf8"),
      tests: null,
      description: "Adds a list of numbers with the get-sum tool of the MCP test server. Use it as the example.",
    });
    const out = run(["diff", "sum-numbers"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("sum-numbers: sum-numbers@1.0.0 (1.0.0) -> work tree (1.0.0)");
    expect(out.stdout).toContain("minor input: new optional argument `label` [request-parameter-added]");
    expect(out.stdout).toMatch(/required bump: minor · version bump: none \(too small\)$/m);
    git(project, "checkout", "--", ".");
    git(project, "clean", "-fdq", "skills");
  });
});

describe("review", () => {
  test("no --base, a bad --format, an unknown ref: usage errors (exit 2)", () => {
    const none = run(["review"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("skills review needs --base <ref>");
    const format = run(["review", "--base", "main", "--format", "xml"]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format must be one of text, json, md, github");
    const ref = run(["review", "--base", "nope"]);
    expect(ref.code).toBe(2);
    expect(ref.stderr).toMatch(/REF_NOT_FOUND\s+--base: git knows no commit "nope"/);
  });

  test("--json prints the contract; a blocking finding exits 1, the fixed change 0", async () => {
    const branch = git(project, "symbolic-ref", "--short", "HEAD").trim();
    git(project, "switch", "-q", "-c", "e2e-change");
    const { readFile, writeFile } = await import("node:fs/promises");
    const manifest = join(project, "skills/sum-numbers/manifest.yaml");
    const text = await readFile(manifest, "utf8");
    await writeFile(manifest, text.replace("description: Adds", "description: Sums"));
    await writeFile(
      join(project, "skills/sum-numbers/main.py"),
      `${await readFile(join(project, "skills/sum-numbers/main.py"), "utf8")}\n# tidied\n`,
    );
    const blocked = run(["review", "--base", branch, "--json"]);
    expect(blocked.code).toBe(1);
    const report = JSON.parse(blocked.stdout);
    expect(Object.keys(report)).toEqual(["base", "head", "skills", "blocking"]);
    expect(report.skills[0]).toMatchObject({
      name: "sum-numbers",
      requiredBump: "patch",
      actualBump: "none",
      status: "blocking",
    });
    expect(report.skills[0].findings[0].code).toBe("BUMP_TOO_SMALL");
    const annotated = run(["review", "--base", branch, "--format", "github"]);
    expect(annotated.code).toBe(1);
    expect(annotated.stdout.split("\n")[0]).toMatch(
      /^::error file=skills\/sum-numbers\/manifest\.yaml,line=\d+,title=skills review%3A BUMP_TOO_SMALL::sum-numbers: the changes need a patch bump/,
    );
    const comment = run(["review", "--base", branch, "--format", "md"]);
    expect(comment.code).toBe(1);
    expect(comment.stdout.split("\n")[0]).toMatch(/^<!-- skills-review: .* -->$/);
    expect(comment.stdout).toContain("| `sum-numbers` | changed | 1.0.0 → 1.0.0 | none | **patch** |");
    await writeFile(manifest, (await readFile(manifest, "utf8")).replace("version: 1.0.0", "version: 1.0.1"));
    const ok = run(["review", "--base", branch, "--format", "github"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe("skills review: 1 changed skill, nothing blocks");
  });
});
