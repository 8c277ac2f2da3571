/**
 * `skills init [dir]`: a new skills project in an existing or new folder — skills.config.json, .mcp.json with the
 * reference servers (which run offline: see init/servers.ts), package.json, .gitignore, an example skill that passes
 * `skills test` (its cassette and tools.lock.json made against the server installed here), and the GitHub workflows
 * that check pull requests. A file that exists is kept, never overwritten, and listed. `git init` where there is no
 * repository.
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { LockedTool } from "../contracts/compat.js";
import { lockedToolInfo } from "../core/compat/lockfile.js";
import { displayPath } from "../core/paths.js";
import { schemaFingerprint } from "../core/testing/fingerprint.js";
import { SkillsError } from "../errors.js";
import { writeFileAtomic } from "../store/atomicWrite.js";
import { initRepository } from "../git/init.js";
import { lockSkillFolders } from "./shared/lock.js";
import { installedServers, linkServers, ownPackage } from "./init/servers.js";

export interface InitOptions {
  cwd: string;
  /** The project folder (made when missing); default: the working directory. */
  dir?: string;
  onStatus?: (message: string) => void;
}

export interface InitResult {
  ok: true;
  /** The project folder, relative to the working directory ("." for itself). */
  dir: string;
  /** Files written, relative to the project. */
  written: string[];
  /** Files (or the example skill's folder) that existed and were left as they were. */
  kept: string[];
  /** Reference servers linked into node_modules. */
  linked: string[];
  git: { initialized: boolean; root: string; branch: string | null };
  /** The example skill's tools.lock.json: written against the installed server, or why not. */
  lock: { status: "written" | "kept" | "error"; message?: string };
  next: string[];
}

const Handlebars = createRequire(import.meta.url)("handlebars") as typeof import("handlebars");
const TEMPLATES = fileURLToPath(new URL("../../templates/", import.meta.url));
const EXAMPLE = "sum-numbers";

export async function initProject(options: InitOptions): Promise<InitResult> {
  const root = resolve(options.cwd, options.dir ?? ".");
  const info = await lstat(root).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new SkillsError("INVALID_ARGUMENT", `${options.dir ?? root} is a file, not a folder`, {
      file: options.dir ?? root,
      hint: "name a folder (it is made when it does not exist)",
    });
  }
  try {
    await mkdir(root, { recursive: true });
  } catch (error) {
    throw new SkillsError("INVALID_ARGUMENT", `cannot create ${root}: ${(error as NodeJS.ErrnoException).code}`, {
      hint: "choose a writable folder",
    });
  }
  const written: string[] = [];
  const kept: string[] = [];
  // A folder of the project that is a link (`.github` -> somewhere else) is not written through: init writes into
  // the project only.
  const linkedFolder = async (file: string): Promise<string | undefined> => {
    const parts = file.split("/").slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      if ((await lstat(join(root, folder)).catch(() => undefined))?.isSymbolicLink()) return folder;
    }
    return undefined;
  };
  const write = async (file: string, text: string) => {
    const path = join(root, file);
    const link = await linkedFolder(file);
    if (link) {
      kept.push(`${file} (not written: ${link}/ is a link)`);
      return;
    }
    if (await lstat(path).catch(() => undefined)) {
      kept.push(file);
      return;
    }
    await writeFileAtomic(path, text);
    written.push(file);
  };

  const own = await ownPackage();
  const servers = await installedServers();
  await write("skills.config.json", await template("init/skills.config.json"));
  await write(".mcp.json", await template("init/mcp.json"));
  await write(".gitignore", await template("init/gitignore"));
  await write(
    "package.json",
    `${JSON.stringify(
      {
        name: packageName(basename(root)),
        private: true,
        description: "Agent skills, checked by the skills toolkit",
        devDependencies: Object.fromEntries([
          [own.name, `^${own.version}`],
          ...servers.map((server) => [server.name, `^${server.version}`]),
        ]),
      },
      null,
      2,
    )}\n`,
  );
  await write(".github/workflows/skills.yml", await template("workflows/skills.yml"));
  await write(".github/workflows/skills-comment.yml", await template("workflows/skills-comment.yml"));

  options.onStatus?.("linking the reference MCP servers");
  const linked = await linkServers(root);

  const skillDir = join(root, "skills", EXAMPLE);
  let lock: InitResult["lock"] = { status: "kept" };
  const skillsLink = await linkedFolder(`skills/${EXAMPLE}/SKILL.md`);
  if (skillsLink) kept.push(`skills/${EXAMPLE}/ (not written: ${skillsLink}/ is a link)`);
  else if (await lstat(skillDir).catch(() => undefined)) kept.push(`skills/${EXAMPLE}/`);
  else {
    const files = await writeExample(skillDir);
    written.push(...files.map((file) => `skills/${EXAMPLE}/${file}`));
    options.onStatus?.("locking the example skill against the installed server");
    lock = await lockExample(root, skillDir);
    await alignRange(skillDir);
    if (lock.status === "written") written.push(`skills/${EXAMPLE}/tools.lock.json`);
  }

  const git = await initRepository(root);
  const shown = root === resolve(options.cwd) ? "." : displayPath(root, options.cwd);
  const cd = shown === "." ? [] : [`cd ${shown}`];
  const base = git.branch ?? "main";
  return {
    ok: true,
    dir: shown,
    written: written.sort(),
    kept: kept.sort(),
    linked,
    git,
    lock,
    next: [
      ...cd,
      "skills validate && skills test && skills lock --check && skills compat",
      'git add -A && git commit -m "A skills project"',
      `git switch -c my-change   # change skills/${EXAMPLE}, then: skills review --base ${base}`,
      "npm install   # CI installs the toolkit and the servers from package.json",
    ],
  };
}

async function template(file: string): Promise<string> {
  return readFile(join(TEMPLATES, file), "utf8");
}

/** The example skill, written to a temp folder beside its place and renamed in, so it is never half there. */
async function writeExample(dir: string): Promise<string[]> {
  const source = join(TEMPLATES, "init/skill");
  const range = "^2.0.0";
  const files = await listFiles(source);
  const staging = join(dirname(dir), `.${basename(dir)}.init-${process.pid}-${randomBytes(4).toString("hex")}`);
  const written: string[] = [];
  try {
    for (const file of files) {
      const text = await readFile(join(source, file), "utf8");
      const target = file.replace(/\.hbs$/, "");
      const body = file.endsWith(".hbs")
        ? Handlebars.compile(text, { noEscape: true, strict: true })({
            range,
            schemaPath: relative(
              dir,
              join(fileURLToPath(new URL("../../schemas/", import.meta.url)), "manifest.schema.json"),
            )
              .split("\\")
              .join("/"),
          })
        : text;
      await writeFileAtomic(join(staging, target), body);
      written.push(target);
    }
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return written.sort();
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)));
    else out.push(`${prefix}${entry.name}`);
  }
  return out;
}

/**
 * Locks the example against the server installed here, and gives its cassette the same tool schema, so a replay finds
 * no drift. When the server cannot start, the example keeps the cassette it ships with and stays unlocked.
 */
async function lockExample(root: string, dir: string): Promise<InitResult["lock"]> {
  try {
    const [result] = await lockSkillFolders({ cwd: root, paths: [dir] });
    if (result?.status !== "written" && result?.status !== "unchanged") {
      const error = result?.errors[0];
      return { status: "error", message: error ? `${error.code}: ${error.message}` : "not locked" };
    }
    const lock = JSON.parse(await readFile(join(dir, "tools.lock.json"), "utf8")) as {
      tools: Record<string, LockedTool>;
    };
    const cassetteFile = join(dir, "cassettes/basic.json");
    const cassette = JSON.parse(await readFile(cassetteFile, "utf8")) as Record<string, unknown>;
    const tools = Object.entries(lock.tools).map(([key, entry]) => {
      const info = lockedToolInfo(key, entry);
      return { ...info, fingerprint: schemaFingerprint(info) };
    });
    cassette.servers = Object.fromEntries(tools.map((tool) => [tool.server, tool.serverInfo]));
    cassette.tools = tools;
    await writeFileAtomic(cassetteFile, `${JSON.stringify(cassette, null, 2)}\n`);
    return { status: "written" };
  } catch (error) {
    return { status: "error", message: error instanceof Error ? error.message : String(error) };
  }
}

/** The example's range admits the major version of the server installed here (the template says ^2.0.0). */
async function alignRange(dir: string): Promise<void> {
  const lock = await readFile(join(dir, "tools.lock.json"), "utf8").catch(() => undefined);
  if (!lock) return;
  const version = (JSON.parse(lock) as { tools: Record<string, LockedTool> }).tools["everything/get-sum"]?.version;
  const major = version?.match(/^(\d+)\./)?.[1];
  if (!major || major === "2") return;
  const file = join(dir, "manifest.yaml");
  const text = await readFile(file, "utf8");
  await writeFileAtomic(file, text.replace('everything/get-sum: "^2.0.0"', `everything/get-sum: "^${major}.0.0"`));
}

/** A package.json name from a folder name: lower case, safe characters only. */
function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[._-]+$/g, "");
  return name || "skills-project";
}
