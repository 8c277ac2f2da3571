/**
 * Real git repositories in temp folders for the tests of versions, releases and reviews: a project with skills/,
 * skills written from a few fields, commits and tags made with the git binary.
 */
import { execFileSync } from "node:child_process";
import { appendFile, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { findExecutable } from "../../src/sandbox/isolation.js";

export const GIT_ENV = {
  GIT_AUTHOR_NAME: "skills test",
  GIT_AUTHOR_EMAIL: "test@skills.invalid",
  GIT_COMMITTER_NAME: "skills test",
  GIT_COMMITTER_EMAIL: "test@skills.invalid",
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...GIT_ENV } });
}

export interface SkillSpec {
  version?: string;
  description?: string;
  input?: Record<string, unknown>;
  output?: Record<string, unknown>;
  tools?: Record<string, string>;
  /** Python source of main.py (default: returns {"value": <version>}). */
  code?: string;
  /** tests/<name>.yaml files; default one case that expects the default code's result. */
  tests?: Record<string, unknown> | null;
  /** Other files, relative to the skill folder. */
  files?: Record<string, string>;
}

/** A temp project: `git init`, a committer identity in its config, skills/ made on first write. */
export async function makeRepo(prefix = "skills-git-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  git(dir, "init", "-q", "-b", "main");
  // What four `git config` calls would add, in git's own syntax: one process less per setting.
  await appendFile(
    join(dir, ".git", "config"),
    `[user]\n\tname = ${GIT_ENV.GIT_AUTHOR_NAME}\n\temail = ${GIT_ENV.GIT_AUTHOR_EMAIL}\n` +
      "[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n",
  );
  await writeFile(join(dir, ".gitignore"), ".skills/\n");
  return dir;
}

export async function removeRepo(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** Writes (or rewrites) skills/<name>: SKILL.md, manifest.yaml, main.py, tests. */
export async function writeSkill(repo: string, name: string, spec: SkillSpec = {}): Promise<string> {
  const dir = join(repo, "skills", name);
  const version = spec.version ?? "1.0.0";
  const description = spec.description ?? `The ${name} test skill. Use it in tests of versions.`;
  const manifest: Record<string, unknown> = {
    name,
    version,
    language: "python",
    entry: "main.py",
    input: spec.input ?? { type: "object", properties: { n: { type: "integer" } } },
    output: spec.output ?? { type: "object", properties: { value: { type: "string" } }, required: ["value"] },
  };
  if (spec.tools) manifest.tools = spec.tools;
  const files: Record<string, string> = {
    "SKILL.md": `---\nname: ${name}\ndescription: ${description}\n---\n\n# ${name}\n\nRun it.\n`,
    "manifest.yaml": stringify(manifest),
    "main.py": spec.code ?? `def run(input):\n    return {"value": "${version}"}\n`,
    ...spec.files,
  };
  const tests =
    spec.tests === null
      ? {}
      : (spec.tests ?? { basic: { name: "basic", input: {}, expect: { subset: { value: version } } } });
  for (const [file, body] of Object.entries(tests)) files[`tests/${file}.yaml`] = stringify(body);
  await rm(join(dir, "tests"), { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

/** Commits everything (or only `paths`). */
export function commitAll(repo: string, message: string, paths: string[] = ["-A"]): void {
  git(repo, "add", ...paths);
  git(repo, "commit", "-q", "-m", message);
}

/** The commit HEAD names. */
export function headCommit(repo: string): string {
  return git(repo, "rev-parse", "HEAD").trim();
}

export function tagRelease(repo: string, name: string, version: string): void {
  git(repo, "tag", "-a", `${name}@${version}`, "-m", `${name} ${version}`);
}

export interface GitLog {
  /** Put first on PATH: its `git` writes each call's arguments (a line a call) and runs the real git. */
  dir: string;
  /** The calls since the last `clear()`, as `cat-file --batch --buffer`. */
  calls(): Promise<string[]>;
  clear(): Promise<void>;
  remove(): Promise<void>;
}

/** A `git` that logs its calls, for tests of how many git processes a command starts (and which). */
export async function loggingGit(): Promise<GitLog> {
  const dir = await mkdtemp(join(tmpdir(), "skills-git-log-"));
  const log = join(dir, "calls.log");
  const real = findExecutable("git");
  if (!real) throw new Error("no git on PATH");
  await writeFile(join(dir, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  await chmod(join(dir, "git"), 0o755);
  return {
    dir,
    calls: async () => (await readFile(log, "utf8").catch(() => "")).split("\n").filter(Boolean),
    clear: () => rm(log, { force: true }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
