/**
 * The repository of a project, through simple-git: resolving refs, reading trees and blobs, history and tags. Reads
 * never touch the work tree or the index; the few writes (`skills release`: a commit, a tag) are explicit below.
 */
import { posix } from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { SkillsError } from "../errors.js";
import { catFiles, type TextAt } from "./catFiles.js";

export type { TextAt } from "./catFiles.js";

export interface TreeEntry {
  /** `100644`, `100755`, `120000` (a link), `040000` (a folder), `160000` (a submodule). */
  mode: string;
  type: "blob" | "tree" | "commit";
  hash: string;
  /** Relative to the listed folder, `/`-separated. */
  path: string;
}

export interface CommitInfo {
  hash: string;
  /** ISO 8601, the committer's date. */
  date: string;
  author: string;
  subject: string;
}

export interface Repo {
  /** The work tree's top folder (absolute). */
  root: string;
  /** `git <args>` in the root; stdout. Throws GIT_FAILED with git's own words. */
  run(args: string[], env?: Record<string, string>): Promise<string>;
  /** `git <args>`; undefined instead of an error when git exits non-zero (a ref or path that is not there). */
  tryRun(args: string[]): Promise<string | undefined>;
  /** Each `<treeish>:<path>` by one `git cat-file --batch` (src/git/catFiles.ts); undefined when that fails. */
  catFiles(names: string[], maxBytes: number): Promise<TextAt[] | undefined>;
}

/** What git gets of our environment: where it finds itself and its config, the locale, who commits. */
const PASSED =
  /^(PATH|HOME|USER|LOGNAME|LANG|LANGUAGE|LC_\w+|TZ|TMPDIR|XDG_CONFIG_HOME|GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL|DATE))$/;

/**
 * git's environment: only what it needs (not a hook's GIT_DIR, not an EDITOR or PAGER to start), never prompting for
 * a password, plus `extra` (a temp index).
 */
export function gitEnvironment(extra?: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && PASSED.test(key)) out[key] = value;
  return { ...out, GIT_TERMINAL_PROMPT: "0", ...extra };
}

function gitIn(dir: string, extra?: Record<string, string>): SimpleGit {
  const env = gitEnvironment(extra);
  // simple-git refuses variables it thinks risky unless allowed by name: these are exactly the ones we chose
  return simpleGit({ baseDir: dir, maxConcurrentProcesses: 6, trimmed: false, allowEnvironment: Object.keys(env) }).env(
    env,
  );
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().split("\n").slice(0, 4).join("; ");
}

/** The repository that holds `cwd`; NOT_A_REPOSITORY when there is none (or git is missing). */
export async function openRepo(cwd: string, why: string): Promise<Repo> {
  let root: string;
  try {
    root = (await gitIn(cwd).raw(["rev-parse", "--show-toplevel"])).trim();
  } catch (error) {
    const missing = /ENOENT|spawn git/.test(messageOf(error));
    throw new SkillsError(
      "NOT_A_REPOSITORY",
      missing ? `${why} needs git, which is not installed` : `${why} needs a git repository, and ${cwd} is not in one`,
      {
        hint: missing
          ? "install git and run it again"
          : "run it inside the repository of your skills (`skills init` makes one, or `git init`)",
      },
    );
  }
  return repoAt(root);
}

/** The repository whose work tree's top folder is `root`, known already (no git process to find it). */
export function repoAt(root: string): Repo {
  const git = gitIn(root);
  return {
    root,
    async run(args, env) {
      try {
        return await (env ? gitIn(root, env) : git).raw(args);
      } catch (error) {
        throw new SkillsError("GIT_FAILED", `git ${args[0]} failed: ${messageOf(error)}`, {
          hint: "run the same git command yourself to see why (`git status`, `git log`)",
        });
      }
    },
    async tryRun(args) {
      try {
        return await git.raw(args);
      } catch {
        return undefined;
      }
    },
    catFiles: (names, maxBytes) => catFiles(root, gitEnvironment(), names, maxBytes),
  };
}

/** The commit a ref names (branch, tag, sha, `HEAD~2`); undefined when git knows none. */
export async function commitOf(repo: Repo, ref: string): Promise<string | undefined> {
  if (ref.startsWith("-")) return undefined;
  const out = await repo.tryRun(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  return out?.trim() || undefined;
}

export async function isShallow(repo: Repo): Promise<boolean> {
  return (await repo.tryRun(["rev-parse", "--is-shallow-repository"]))?.trim() === "true";
}

export async function mergeBase(repo: Repo, a: string, b: string): Promise<string | undefined> {
  return (await repo.tryRun(["merge-base", a, b]))?.trim() || undefined;
}

/** The tree (object id) of `path` (repo-relative; "" for the root) at a commit or tree; undefined when absent. */
export async function treeAt(repo: Repo, treeish: string, path: string): Promise<string | undefined> {
  if (treeish.startsWith("-")) return undefined;
  const folder = posix.normalize(path || ".").replace(/\/+$/, "");
  if (folder === "." || folder === "") {
    const out = await repo.tryRun(["rev-parse", "--verify", "--quiet", "--end-of-options", `${treeish}^{tree}`]);
    return out?.trim() || undefined;
  }
  // One process (a review or a release asks this for every skill at every version): the path's own entry in its
  // parent tree, with its type. Literal: a folder named `x*` is that folder, not a pattern.
  const out = await repo.tryRun(["--literal-pathspecs", "ls-tree", "--full-tree", "-z", treeish, "--", folder]);
  for (const record of out?.split("\0") ?? []) {
    const tab = record.indexOf("\t");
    const [, type, hash] = record.slice(0, tab).split(" ");
    if (record.slice(tab + 1) === folder && type === "tree") return hash;
  }
  return undefined;
}

/** Every file below `path` at a tree-ish (recursive), relative to `path`; with `trees`, the folders too. */
export async function listFiles(repo: Repo, treeish: string, path = "", trees = false): Promise<TreeEntry[]> {
  const spec = path === "" ? treeish : `${treeish}:${path}`;
  const out = await repo.tryRun(["ls-tree", "-r", ...(trees ? ["-t"] : []), "-z", spec]);
  if (out === undefined) return [];
  const entries: TreeEntry[] = [];
  for (const record of out.split("\0")) {
    if (!record) continue;
    const tab = record.indexOf("\t");
    const [mode, type, hash] = record.slice(0, tab).split(" ");
    entries.push({ mode: mode!, type: type as TreeEntry["type"], hash: hash!, path: record.slice(tab + 1) });
  }
  return entries;
}

/**
 * Each file `[treeish, path]` as `git cat-file blob` gives it (its text; undefined when it is not there or not a
 * file), but for one over `maxBytes` (its size instead: nothing of it is held), all from one git process
 * (`git cat-file --batch`), where one a file was started before: a review reads two files of every skill it compares,
 * at both ends. A name the batch would not read as `cat-file blob` does (`batchable`) is read alone, as is every file
 * when the batch fails.
 */
export async function readManyAt(
  repo: Repo,
  files: ReadonlyArray<readonly [treeish: string, path: string]>,
  maxBytes: number,
): Promise<TextAt[]> {
  const names = files.map(([treeish, path]) => `${treeish}:${path}`);
  const batched = [...new Set(names.filter((name, index) => batchable(name, files[index]![1])))];
  const read = batched.length > 0 ? await repo.catFiles(batched, maxBytes) : undefined;
  const texts = new Map<string, TextAt>(read ? batched.map((name, index) => [name, read[index]]) : []);
  return Promise.all(names.map((name) => (texts.has(name) ? texts.get(name) : readOneAt(repo, name, maxBytes))));
}

/**
 * Whether git's --batch reads the name back as `cat-file blob` does. Not with a line break (a name a line; a carriage
 * return before it is dropped), nor with a `.` or `..` component in the path: git resolves those from the working
 * folder, and one outside the repository ends the whole batch (`fatal: ... is outside repository`).
 */
function batchable(name: string, path: string): boolean {
  return !/[\r\n]/.test(name) && !/(^|\/)\.\.?(\/|$)/.test(path);
}

/** One `<treeish>:<path>` as readManyAt gives it: its size first, then its text when that is within `maxBytes`. */
async function readOneAt(repo: Repo, name: string, maxBytes: number): Promise<TextAt> {
  const size = Number((await repo.tryRun(["cat-file", "-s", name]))?.trim() ?? Number.NaN);
  if (!Number.isSafeInteger(size)) return undefined;
  if (size > maxBytes)
    return (await repo.tryRun(["cat-file", "-t", name]))?.trim() === "blob" ? { tooLarge: size } : undefined;
  return repo.tryRun(["cat-file", "blob", name]);
}

/** Commits that touched `paths`, newest first, in `range` (`a..b`, or a single ref for its whole history). */
export async function commitsTouching(repo: Repo, range: string, paths: string[]): Promise<CommitInfo[]> {
  // NUL between fields and (-z) between commits: the one byte a subject or an author's name cannot hold
  const out = await repo.run(["log", "-z", "--format=%H%x00%cI%x00%an%x00%s", range, "--", ...paths]);
  return nulRecords(out, 4).map(([hash, date, author, subject]) => ({
    hash: hash!,
    date: date!,
    author: author!,
    subject: subject ?? "",
  }));
}

/** `count` NUL-separated fields per record; a newline git puts between records is dropped. */
function nulRecords(out: string, count: number): string[][] {
  const fields = out.split("\0");
  const records: string[][] = [];
  for (let at = 0; at + count <= fields.length; at += count) {
    const record = fields.slice(at, at + count);
    record[0] = record[0]!.replace(/^\n/, "");
    if (record[0]) records.push(record);
  }
  return records;
}

/** Uncommitted changes (staged, unstaged, untracked; not ignored) below `path`, as `git status --porcelain` lines. */
export async function uncommitted(repo: Repo, path: string): Promise<string[]> {
  const out = await repo.run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", path]);
  return out.split("\0").filter(Boolean);
}

export interface TagRecord {
  tag: string;
  /** The commit the tag points at (peeled). */
  commit: string;
  annotated: boolean;
  /** ISO 8601: the tagger's date, else the commit's. */
  date: string;
  message: string;
}

/** Tags matching a `git for-each-ref` pattern (`find-todos@*`). */
export async function listTags(repo: Repo, pattern: string): Promise<TagRecord[]> {
  // NUL after every field: a tag message is free text and may hold any other byte (a forged record included)
  const format =
    "%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(*objectname)%00%(creatordate:iso-strict)%00%(contents)%00";
  const out = await repo.run(["for-each-ref", `--format=${format}`, `refs/tags/${pattern}`]);
  return nulRecords(out, 6).map(([tag, type, object, peeled, date, message]) => {
    const annotated = type === "tag";
    return { tag: tag!, commit: annotated ? peeled! : object!, annotated, date: date!, message: message ?? "" };
  });
}

/** Lines of files in a tree that contain `text` (fixed string): [path, line, line text]. */
export async function grepTree(repo: Repo, treeish: string, text: string): Promise<[string, number, string][]> {
  const out = await repo.tryRun(["grep", "-n", "-I", "-F", "--no-color", "-e", text, treeish, "--"]);
  if (!out) return [];
  const hits: [string, number, string][] = [];
  for (const line of out.split("\n")) {
    // <treeish>:<path>:<line>:<text>
    const rest = line.startsWith(`${treeish}:`) ? line.slice(treeish.length + 1) : undefined;
    const match = rest === undefined ? null : /^(.*?):(\d+):(.*)$/.exec(rest);
    if (match) hits.push([match[1]!, Number(match[2]), match[3]!]);
  }
  return hits;
}
