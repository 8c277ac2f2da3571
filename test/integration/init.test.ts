/**
 * `skills init`: a fresh project in a temp folder passes `skills validate`, `skills test`, `skills lock --check` and
 * `skills compat` (the built CLI, the reference servers linked from this package, offline); existing files are kept;
 * the workflow is valid YAML with the jobs, steps and permissions a fork-safe check needs, and its commands run the
 * same here: a change with too small a bump is blocked, the fixed one passes. Spawns bin/skills.js: run
 * `npm run build` first.
 */
import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { initProject } from "../../src/commands/init.js";
import { REVIEW_MARKER } from "../../src/cli/render/review.js";
import { isSkillsError } from "../../src/errors.js";
import { CLI, skillsSync } from "../helpers/cli.js";
import { GIT_ENV, git, removeRepo } from "../helpers/gitRepo.js";

let scratch: string;
let project: string;
let first: Awaited<ReturnType<typeof initProject>>;

const EXPECTED = [
  ".github/workflows/skills-comment.yml",
  ".github/workflows/skills.yml",
  ".gitignore",
  ".mcp.json",
  "package.json",
  "skills.config.json",
  "skills/sum-numbers/SKILL.md",
  "skills/sum-numbers/cassettes/basic.json",
  "skills/sum-numbers/main.py",
  "skills/sum-numbers/manifest.yaml",
  "skills/sum-numbers/tests/basic.yaml",
  "skills/sum-numbers/tools.lock.json",
];

const run = (args: string[], cwd = project) => skillsSync(args, { cwd, env: GIT_ENV, timeout: 120_000 });

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "skills-init-"));
  await chmod(scratch, 0o755);
  project = join(scratch, "project");
  first = await initProject({ cwd: scratch, dir: "project" });
}, 120_000);

afterAll(async () => {
  await removeRepo(scratch);
});

describe("skills init", () => {
  test("writes the project, links the servers, locks the example and makes a repository", async () => {
    const result = first;
    expect(result.dir).toBe("project");
    expect(result.written).toEqual(EXPECTED);
    expect(result.kept).toEqual([]);
    expect(result.lock).toEqual({ status: "written" });
    expect(result.git).toMatchObject({ initialized: true, root: project });
    expect(result.linked).toContain("node_modules/@modelcontextprotocol/server-everything");
    expect(result.linked).toContain("node_modules/.bin/mcp-server-everything");
    const pkg = JSON.parse(await readFile(join(project, "package.json"), "utf8"));
    expect(pkg.devDependencies).toMatchObject({
      skillsmith: expect.stringMatching(/^\^/),
      "@modelcontextprotocol/server-everything": expect.stringMatching(/^\^/),
    });
    expect(Object.keys(pkg.devDependencies)).toHaveLength(4);
    // the cassette carries the schema the lock pinned: replay sees no drift
    const lock = JSON.parse(await readFile(join(project, "skills/sum-numbers/tools.lock.json"), "utf8"));
    const cassette = JSON.parse(await readFile(join(project, "skills/sum-numbers/cassettes/basic.json"), "utf8"));
    expect(cassette.tools[0].fingerprint).toBe(lock.tools["everything/get-sum"].fingerprint);
  });

  test("the fresh project passes validate, test, lock --check and compat (offline)", () => {
    const validate = run(["validate", "--json"]);
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout).summary).toMatchObject({ skills: 1, valid: 1, errors: 0 });
    const tested = run(["test", "--json"]);
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.stdout).summary).toMatchObject({ total: 1, passed: 1, failed: 0 });
    const locked = run(["lock", "--check", "--json"]);
    expect(locked.code).toBe(0);
    expect(JSON.parse(locked.stdout).skills.map((s: { status: string }) => s.status)).toEqual(["unchanged"]);
    const compat = run(["compat", "--json"]);
    expect(compat.code).toBe(0);
    expect(JSON.parse(compat.stdout).skills.map((s: { status: string }) => s.status)).toEqual(["compatible"]);
    const ran = run(["run", "sum-numbers", "--input", '{"numbers": [1, 2, 3.5]}', "--json"]);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).run.result).toEqual({ total: 6.5, calls: 2 });
  });

  test("a second init keeps every file and lists it; an edited file stays as it is", async () => {
    await writeFile(join(project, ".gitignore"), "mine\n");
    const again = await initProject({ cwd: project });
    expect(again.dir).toBe(".");
    expect(again.written).toEqual([]);
    expect(again.kept).toEqual([
      ".github/workflows/skills-comment.yml",
      ".github/workflows/skills.yml",
      ".gitignore",
      ".mcp.json",
      "package.json",
      "skills.config.json",
      "skills/sum-numbers/",
    ]);
    expect(again.linked).toEqual([]);
    expect(again.git.initialized).toBe(false);
    expect(await readFile(join(project, ".gitignore"), "utf8")).toBe("mine\n");
    await writeFile(
      join(project, ".gitignore"),
      await readFile(join(import.meta.dirname, "../../templates/init/gitignore"), "utf8"),
    );
  });

  test("a folder of the project that is a link is not written through", async () => {
    const linkedProject = join(scratch, "linked");
    const elsewhere = join(scratch, "elsewhere");
    await mkdir(linkedProject);
    await mkdir(elsewhere);
    await symlink(elsewhere, join(linkedProject, ".github"));
    await symlink(elsewhere, join(linkedProject, "skills"));
    const result = await initProject({ cwd: linkedProject });
    expect(result.kept).toEqual([
      ".github/workflows/skills-comment.yml (not written: .github/ is a link)",
      ".github/workflows/skills.yml (not written: .github/ is a link)",
      "skills/sum-numbers/ (not written: skills/ is a link)",
    ]);
    expect(result.written).toContain("skills.config.json");
    expect(await readdir(elsewhere)).toEqual([]);
  });

  test("inside an existing repository, no git init; a file where the folder should be is refused", async () => {
    const nested = await initProject({ cwd: project, dir: "sub" });
    expect(nested.git).toMatchObject({ initialized: false, root: project });
    await writeFile(join(scratch, "a-file"), "x");
    const error = await initProject({ cwd: scratch, dir: "a-file" }).catch((e: unknown) => e);
    expect(isSkillsError(error) && error.code).toBe("INVALID_ARGUMENT");
    expect(isSkillsError(error) && error.message).toBe("a-file is a file, not a folder");
    await removeRepo(join(project, "sub"));
  });
});

describe("the workflow", () => {
  const workflow = async (file: string) => parse(await readFile(join(project, ".github/workflows", file), "utf8"));

  test("skills.yml: on pull_request, read-only, no secrets, full history, the four checks", async () => {
    const text = await readFile(join(project, ".github/workflows/skills.yml"), "utf8");
    expect(text).toBe(await readFile(join(import.meta.dirname, "../../templates/workflows/skills.yml"), "utf8"));
    expect(text).not.toContain("secrets.");
    const wf = await workflow("skills.yml");
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.permissions).toEqual({ contents: "read" });
    expect(wf.jobs.check.env).toEqual({ SKILLS_RUN_LOG: "off" });
    const steps = wf.jobs.check.steps as { uses?: string; run?: string; with?: Record<string, unknown>; if?: string }[];
    expect(steps[0]).toMatchObject({
      uses: "actions/checkout@v4",
      with: { "fetch-depth": 0, "persist-credentials": false },
    });
    const runs = steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("npx skillsmith validate");
    expect(runs).toContain("npx skillsmith test");
    expect(runs).toContain("npx skillsmith compat --format github");
    expect(runs).toContain('npx skillsmith review --base "origin/$BASE_REF" --format md > review.md');
    expect(runs).toContain('cat review.md >> "$GITHUB_STEP_SUMMARY"');
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact"));
    expect(upload?.with).toMatchObject({ name: "skills-review" });
    // every check runs even when one before it failed, so the review always reaches the summary
    for (const step of steps.filter((s) => /npx skillsmith (test|compat|review)/.test(s.run ?? ""))) {
      expect(step.if).toBe(`\${{ !cancelled() }}`);
    }
  });

  test("skills-comment.yml: after skills.yml, may comment, never checks out or runs the pull request", async () => {
    const text = await readFile(join(project, ".github/workflows/skills-comment.yml"), "utf8");
    const wf = await workflow("skills-comment.yml");
    expect(wf.on).toEqual({ workflow_run: { workflows: ["skills"], types: ["completed"] } });
    expect(wf.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    const steps = wf.jobs.comment.steps as { uses?: string; run?: string; with?: Record<string, string> }[];
    expect(steps.map((s) => s.uses)).toEqual(["actions/download-artifact@v4", "actions/github-script@v7"]);
    expect(steps.some((s) => s.run !== undefined)).toBe(false);
    expect(text).not.toContain("actions/checkout");
    expect(steps[0]!.with).toMatchObject({ name: "skills-review", "run-id": `\${{ github.event.workflow_run.id }}` });
    // the comment it looks for starts the way `skills review --format md` starts
    const marker = /const marker = "([^"]+)"/.exec(steps[1]!.with!.script!)?.[1];
    expect(REVIEW_MARKER.startsWith(marker!)).toBe(true);
    expect(steps[1]!.with!.script).toContain("context.payload.workflow_run.head_sha");
  });

  test("its commands run the same locally: too small a bump blocks the review, the fixed one passes", async () => {
    git(project, "add", "-A");
    git(project, "commit", "-q", "-m", "A skills project");
    const branch = git(project, "symbolic-ref", "--short", "HEAD").trim();
    git(project, "update-ref", `refs/remotes/origin/${branch}`, "HEAD");
    git(project, "switch", "-q", "-c", "my-change");
    const manifest = join(project, "skills/sum-numbers/manifest.yaml");
    const original = await readFile(manifest, "utf8");
    // a new required input, released as a patch
    await writeFile(
      manifest,
      original
        .replace("version: 1.0.0", "version: 1.0.1")
        .replace("required: [numbers]", "required: [numbers, label]")
        .replace("numbers: { type: array", "label: { type: string }\n    numbers: { type: array"),
    );
    await writeFile(
      join(project, "skills/sum-numbers/tests/basic.yaml"),
      "name: basic\ninput: { numbers: [2, 3, 5], label: x }\nexpect:\n  subset: { total: 10, calls: 2 }\n",
    );
    // SKILL.md's example input must match the schema too (validate checks it)
    const skillMd = join(project, "skills/sum-numbers/SKILL.md");
    await writeFile(
      skillMd,
      (await readFile(skillMd, "utf8")).replace('{"numbers": [2, 3, 5]}', '{"numbers": [2, 3, 5], "label": "x"}'),
    );
    git(project, "commit", "-qam", "label is required");

    const blocked = await runWorkflow(branch);
    expect(blocked.failed).toEqual(["skills review"]);
    expect(blocked.review.startsWith(`${REVIEW_MARKER}\n`)).toBe(true);
    expect(blocked.review).toContain("| `sum-numbers` | changed | 1.0.0 → 1.0.1 | patch | **major** |");
    expect(blocked.review).toContain("BUMP_TOO_SMALL");
    expect(blocked.summary).toBe(blocked.review);
    expect(blocked.prNumber).toBe("7");

    await writeFile(manifest, (await readFile(manifest, "utf8")).replace("version: 1.0.1", "version: 2.0.0"));
    git(project, "commit", "-qam", "2.0.0");
    const passed = await runWorkflow(branch);
    expect(passed.failed).toEqual([]);
    expect(passed.review).toContain("| `sum-numbers` | changed | 1.0.0 → 2.0.0 | major | major |");
  });
});

/** Runs each step of skills.yml that runs `npx skillsmith`, as written, with `npx skillsmith` being the built CLI. */
async function runWorkflow(
  base: string,
): Promise<{ failed: string[]; review: string; summary: string; prNumber: string }> {
  const wf = parse(await readFile(join(project, ".github/workflows/skills.yml"), "utf8"));
  const bin = await mkdtemp(join(scratch, "bin-"));
  await writeFile(
    join(bin, "npx"),
    `#!/bin/sh\nif [ "$1" = skillsmith ]; then shift; exec "${process.execPath}" "${CLI}" "$@"; fi\necho "npx $*: not in this test" >&2; exit 127\n`,
  );
  await chmod(join(bin, "npx"), 0o755);
  const summary = join(bin, "summary.md");
  await writeFile(summary, "");
  const failed: string[] = [];
  for (const step of wf.jobs.check.steps as { name?: string; run?: string; env?: Record<string, string> }[]) {
    if (!step.run?.includes("npx skillsmith")) continue;
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...GIT_ENV,
      NO_COLOR: "1",
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_STEP_SUMMARY: summary,
      BASE_REF: base,
      PR_NUMBER: "7",
    };
    const result = spawnSync("bash", ["-e", "-c", step.run], { cwd: project, env, encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0) failed.push(step.name ?? step.run);
  }
  return {
    failed,
    review: await readFile(join(project, "review.md"), "utf8"),
    summary: await readFile(summary, "utf8"),
    prNumber: (await readFile(join(project, "pr-number.txt"), "utf8")).trim(),
  };
}
