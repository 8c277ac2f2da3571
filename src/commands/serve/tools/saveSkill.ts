/**
 * save_skill: code that worked becomes a skill. The folder is built aside (a new one from scratch, an existing one
 * copied with every file it has), validated as `skills validate --strict` would, and only then put in place. An
 * existing skill is replaced only by a higher version. Its tool dependencies are locked (tools.lock.json) in the
 * staged folder, so the skill and its lock appear together. Optionally the folder is committed to git.
 */
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import semver from "semver";
import type { JsonObject } from "../../../contracts/json.js";
import type { Problem } from "../../../contracts/problem.js";
import type { SkillLanguage } from "../../../contracts/skill.js";
import type { ToolInfo } from "../../../contracts/tools.js";
import { LOCK_FILE } from "../../../core/compat/lockfile.js";
import { newSkillFiles, type SavedSkillSpec, updatedSkillFiles } from "../../../core/skill/savedSkill.js";
import { SkillsError } from "../../../errors.js";
import { commitPaths } from "../../../git/commit.js";
import type { ServedTool } from "../../../mcp/server/types.js";
import { loadSkill, MANIFEST_FILE, SKILL_MD } from "../../../store/loadSkill.js";
import { schemaPath } from "../../../store/schemas.js";
import { stageSkillFolder } from "../../../store/stageSkillFolder.js";
import { SAVE_SKILL } from "../definitions.js";
import { lockSavedSkill } from "../lockSaved.js";
import { pickTools } from "../pickTools.js";
import { findSkillDir } from "../skillLookup.js";
import type { ServeState } from "../state.js";

const FIRST_VERSION = "0.1.0";

export function saveSkillTool(state: ServeState): ServedTool {
  // One save per name at a time: two clients saving the same skill take turns.
  const saving = new Map<string, Promise<unknown>>();
  return {
    ...SAVE_SKILL,
    async call(args) {
      const name = args.name as string;
      const previous = saving.get(name) ?? Promise.resolve();
      const mine = previous.catch(() => undefined).then(() => save(state, args));
      saving.set(name, mine);
      try {
        return { structured: await mine };
      } finally {
        if (saving.get(name) === mine) saving.delete(name);
      }
    },
  };
}

async function save(state: ServeState, args: JsonObject): Promise<JsonObject> {
  const name = args.name as string;
  const language = args.language as SkillLanguage;
  const requested = args.version as string | undefined;
  if (requested !== undefined && semver.valid(requested) === null) {
    throw new SkillsError("INVALID_ARGUMENT", `version "${requested}" is not a semantic version`, {
      hint: "use major.minor.patch, e.g. 1.0.0",
    });
  }
  const tools = toolRanges((await pickTools(state.live, args.tools as string[])).tools);
  const existingDir = await findSkillDir(state.config, name);
  const existing = existingDir ? await currentVersion(existingDir) : undefined;
  const version = requested ?? FIRST_VERSION;
  if (existing && !semver.gt(version, existing.version)) {
    throw new SkillsError(
      "SKILL_EXISTS",
      `skill ${name} exists at version ${existing.version}; ${requested === undefined ? "no version was given" : `${version} is not higher`}, so nothing was changed`,
      {
        hint: `pass a higher version to replace it, e.g. ${semver.inc(existing.version, "patch")} (a fix) or ${semver.inc(existing.version, "minor")} (new behaviour)`,
      },
    );
  }
  const spec: SavedSkillSpec = {
    name,
    version,
    language,
    code: args.code as string,
    description: (args.description as string).trim(),
    tools,
    ...(args.input_schema ? { input: args.input_schema as JsonObject } : {}),
    ...(args.output_schema ? { output: args.output_schema as JsonObject } : {}),
  };
  const target = existingDir ?? join(state.config.roots[0] as string, name);
  const staged = await stageSkillFolder(target, { replace: existingDir !== undefined });
  try {
    const files = existing
      ? updatedSkillFiles({ ...existing.files, language: existing.language }, spec)
      : newSkillFiles(spec, relative(target, schemaPath("manifest")).split("\\").join("/"));
    await staged.write(files.write, files.remove);
    const checked = await loadSkill(staged.dir, { strict: true, displayDir: name });
    if (!checked.ok) throw invalid(name, checked.errors);
    const lock = await lockSavedSkill(state, staged.dir);
    await staged.publish();
    const warnings = checked.warnings.map(describe);
    if (lock.warning) warnings.push(lock.warning);
    const written = Object.keys(files.write);
    if (lock.status === "written" || lock.status === "unchanged") written.push(LOCK_FILE);
    const result: JsonObject = {
      name,
      version,
      dir: relative(state.config.root, target) || ".",
      files: written.sort(),
      lock: lock.status,
      ...(existing ? { replaced: existing.version } : {}),
    };
    if (args.commit === true) {
      const commit = await commitPaths({
        cwd: state.config.root,
        paths: [target],
        message: `${existing ? "Update" : "Add"} skill ${name} ${version}\n\nSaved through skills serve (save_skill).`,
      });
      if (commit.ok) result.commit = commit.sha;
      else warnings.push(`saved, but not committed: ${commit.reason}`);
    }
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  } finally {
    await staged.discard();
  }
}

/** Each tool's range: compatible with the version the server has now (its own, else the server's). */
function toolRanges(tools: ToolInfo[]): Record<string, string> {
  const ranges: Record<string, string> = {};
  for (const tool of tools) {
    const own = tool._meta?.version;
    const version = typeof own === "string" ? own : tool.serverInfo.version;
    ranges[`${tool.server}/${tool.name}`] = semver.valid(version) ? `^${semver.valid(version)}` : "*";
  }
  return ranges;
}

interface Existing {
  version: string;
  language: SkillLanguage;
  files: { manifest: string; skillMd: string; entry: string };
}

/** The existing skill's version and the texts save_skill updates; a skill too broken to read is not replaced. */
async function currentVersion(dir: string): Promise<Existing> {
  const loaded = await loadSkill(dir);
  if (!loaded.ok) {
    throw new SkillsError(
      "MANIFEST_INVALID",
      `skill ${dir.split("/").pop()} exists but is invalid, so its version cannot be compared; nothing was changed`,
      { hint: `fix it first (skills validate ${dir}): ${loaded.errors.slice(0, 3).map(describe).join("; ")}` },
    );
  }
  const skill = loaded.value;
  const read = (file: string) => readFile(join(dir, file), "utf8").catch(() => "");
  return {
    version: skill.manifest.version,
    language: skill.manifest.language,
    files: { manifest: await read(MANIFEST_FILE), skillMd: await read(SKILL_MD), entry: skill.manifest.entry },
  };
}

function invalid(name: string, problems: Problem[]): SkillsError {
  return new SkillsError(
    "MANIFEST_INVALID",
    `the skill ${name} would not pass \`skills validate --strict\`, so nothing was saved:\n${problems.map((p) => `  ${describe(p)}`).join("\n")}`,
    { problems },
  );
}

function describe(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.code} ${problem.message}${problem.hint ? ` (${problem.hint})` : ""}`;
}
