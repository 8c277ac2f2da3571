/** list_skills, get_skill and run_skill: the project's skills for an agent, run through the server's execution. */
import { basename } from "node:path";
import type { JsonObject } from "../../../contracts/json.js";
import type { RunLimits } from "../../../contracts/run.js";
import type { LoadedSkill } from "../../../contracts/skill.js";
import { renderSignatures } from "../../../core/codegen/index.js";
import { runAnswer } from "../../../core/serve/runAnswer.js";
import { isSkillsError, SkillsError } from "../../../errors.js";
import type { ServedTool } from "../../../mcp/server/types.js";
import { limitsFromManifest } from "../../../sandbox/index.js";
import { loadSkill, SKILL_MD } from "../../../store/loadSkill.js";
import { validateInput } from "../../shared/input.js";
import { loadValidSkill, skillRunRequest } from "../../shared/skill.js";
import { resolveSkillVersion } from "../../shared/skillVersion.js";
import { GET_SKILL, LIST_SKILLS, RUN_SKILL } from "../definitions.js";
import { pickTools } from "../pickTools.js";
import { readSkill, readSkillFile, requireSkillDir, skillDirs } from "../skillLookup.js";
import type { ServeState } from "../state.js";

export function listSkillsTool(state: ServeState): ServedTool {
  return {
    ...LIST_SKILLS,
    async call() {
      const skills: JsonObject[] = [];
      for (const dir of await skillDirs(state.config)) {
        const { skill, problems } = await readSkill(dir);
        if (!skill) {
          skills.push({ name: basename(dir), valid: false, problem: problems[0] ?? "invalid" });
          continue;
        }
        if (skill.kind === "instruction") {
          // Read, not run: get_skill gives an agent its instructions.
          skills.push({ name: skill.name, kind: "instruction", description: skill.frontmatter.description });
          continue;
        }
        const tools = Object.keys(skill.manifest.tools ?? {});
        skills.push({
          name: skill.name,
          kind: "runnable",
          version: skill.manifest.version,
          language: skill.manifest.language,
          description: skill.manifest.description ?? skill.frontmatter.description,
          ...(tools.length > 0 ? { tools } : {}),
        });
      }
      return { structured: { skills } };
    },
  };
}

export function getSkillTool(state: ServeState): ServedTool {
  return {
    ...GET_SKILL,
    async call(args) {
      const dir = await requireSkillDir(state.config, args.name as string);
      const skillMd = (await readSkillFile(dir, SKILL_MD)) ?? "";
      const loaded = await loadSkill(dir);
      if (loaded.ok && loaded.value.kind === "instruction") {
        return {
          structured: {
            name: loaded.value.name,
            kind: "instruction",
            version: "",
            skill_md: skillMd,
            manifest: {},
            signature: "none: an instruction skill (SKILL.md only) is read and followed, not run",
          },
        };
      }
      // Invalid or runnable: the shared loader reports every problem, or gives the runnable skill.
      const skill = await loadValidSkill(dir, state.config.root);
      return {
        structured: {
          name: skill.name,
          kind: "runnable",
          version: skill.manifest.version,
          skill_md: skillMd,
          manifest: skill.manifest as unknown as JsonObject,
          signature: skillSignature(skill),
        },
      };
    },
  };
}

export function runSkillTool(state: ServeState): ServedTool {
  return {
    ...RUN_SKILL,
    async call(args, context) {
      const name = args.name as string;
      const skill = await skillToRun(state, name, typeof args.version === "string" ? args.version : undefined);
      const manifest = skill.manifest;
      const input = validateInput(
        manifest.input,
        { value: args.input ?? {}, source: "input" },
        `${name}/manifest.yaml`,
      );
      const { tools, warnings } = await pickTools(state.live, Object.keys(manifest.tools ?? {}), manifest.tools);
      const limits: Partial<RunLimits> = { ...limitsFromManifest(manifest.limits) };
      if (typeof args.timeout_ms === "number") limits.timeoutMs = args.timeout_ms;
      const run = await state.limiter.run(() =>
        state.execution.run({
          ...skillRunRequest(skill, input.value, limits),
          tools,
          signal: AbortSignal.any([context.signal, state.shutdown]),
          client: context.client.name,
        }),
      );
      const structured = runAnswer(run, { warnings: [...input.warnings, ...warnings] });
      structured.skill = { name: skill.name, version: manifest.version };
      return { structured, ...(run.ok ? {} : { isError: true }) };
    },
  };
}

/**
 * The skill run_skill runs: the working copy, or with `version` the release (tag `<name>@<version>`, `latest`, or a
 * range) unpacked from git as `skills run name@version` does. A project without that release (or without git) still
 * runs its working copy when `version` is the working copy's own.
 */
async function skillToRun(state: ServeState, name: string, version: string | undefined): Promise<LoadedSkill> {
  if (version === undefined) return loadRunnable(state, await requireSkillDir(state.config, name));
  try {
    const release = await resolveSkillVersion({ cwd: state.config.root, name, version });
    return await loadValidSkill(release.dir, state.config.root);
  } catch (error) {
    if (!isSkillsError(error) || (error.code !== "VERSION_NOT_FOUND" && error.code !== "NOT_A_REPOSITORY")) throw error;
    const current = await loadRunnable(state, await requireSkillDir(state.config, name));
    if (current.manifest.version === version) return current;
    const versions = Array.isArray(error.data.versions) ? (error.data.versions as string[]) : [];
    throw new SkillsError(error.code, `version ${version} of ${name} cannot be run: ${error.message}`, {
      hint: `${versions.length > 0 ? `released versions: ${versions.slice(0, 20).join(", ")}, or latest; ` : ""}the working copy is version ${current.manifest.version}: leave out version to run it`,
    });
  }
}

/** The working copy's skill, refused when it is an instruction skill (nothing to run). */
async function loadRunnable(state: ServeState, dir: string): Promise<LoadedSkill> {
  const loaded = await loadSkill(dir);
  if (loaded.ok && loaded.value.kind === "instruction") throw instructionNotRunnable(loaded.value.name);
  return loadValidSkill(dir, state.config.root);
}

/** run_skill on an instruction skill: what it is and what an agent does with it instead. */
function instructionNotRunnable(name: string): SkillsError {
  return new SkillsError(
    "SKILL_NOT_RUNNABLE",
    `${name} is an instruction skill (SKILL.md only, no manifest.yaml): it has instructions to follow, not a program to run`,
    {
      hint: `get_skill {name: "${name}"} returns its SKILL.md; follow it, calling tools with execute_code as it says`,
    },
  );
}

/** How to call the skill, as a typed one-liner: `run_skill {name, input: {...}} -> {...}`. */
export function skillSignature(skill: LoadedSkill): string {
  const ts = renderSignatures({
    server: "skills",
    serverInfo: { name: "skills", version: skill.manifest.version },
    name: skill.name,
    inputSchema: skill.manifest.input ?? { type: "object" },
    ...(skill.manifest.output ? { outputSchema: skill.manifest.output } : {}),
  }).ts;
  const parts = /^[^(]*\(input: ([\s\S]*)\): Promise<([\s\S]*)>$/.exec(ts);
  if (!parts) return ts;
  return `run_skill {name: "${skill.name}", input: ${parts[1]}} -> ${parts[2]}`;
}
