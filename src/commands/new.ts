/**
 * `skills new`: scaffolds a complete skill (SKILL.md, manifest.yaml, entry, tests/basic.yaml) from the handlebars
 * templates in templates/skill, written whole or not at all (new/writeSkillFolder.ts). `--from-run` makes one from a
 * logged run instead (new/fromRun.ts).
 */
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import semver from "semver";
import { stringify } from "yaml";
import { assignToolNames, sdkServerName } from "../core/codegen/names.js";
import { TOOL_KEY_PATTERN } from "../core/validate/manifest.js";
import { checkReservedName, checkSkillName, NAME_RULE, suggestSkillName } from "../core/validate/names.js";
import { SkillsError } from "../errors.js";
import { writeFileAtomic } from "../store/atomicWrite.js";
import { loadProjectConfig } from "../store/config.js";
import { readLockFile } from "../store/lockFile.js";
import { schemaPath } from "../store/schemas.js";
import { checkDescription } from "./new/description.js";
import { writeSkillFolder } from "./new/writeSkillFolder.js";

export type NewSkillLanguage = "python" | "typescript";

export interface NewSkillOptions {
  name: string;
  lang?: string;
  description?: string;
  /** "server/tool" keys. */
  tools?: string[];
  /** Parent folder, relative to cwd (default: the first configured root). */
  dir?: string;
  cwd: string;
}

export interface NewSkillResult {
  ok: true;
  name: string;
  language: NewSkillLanguage;
  /** The new skill folder, relative to cwd. */
  dir: string;
  /** Files written, relative to the skill folder. */
  files: string[];
  /** "server/tool" keys, in the order given. */
  tools: string[];
  next: string[];
  /** A skill with tools is locked at once (tools.lock.json); when the servers cannot answer, why not. */
  lock?: NewSkillLock;
}

export interface NewSkillLock {
  file: string;
  status: "written" | "error";
  message?: string;
  /** Tools given without a range, and the range they got from the version their server has now. */
  ranges?: Record<string, string>;
}

// handlebars is CommonJS (`export =`): load it through require to keep verbatimModuleSyntax happy.
const Handlebars = createRequire(import.meta.url)("handlebars") as typeof import("handlebars");
const TEMPLATES = fileURLToPath(new URL("../../templates/skill/", import.meta.url));
const LANGUAGES: Record<NewSkillLanguage, { entry: string; template: string }> = {
  python: { entry: "main.py", template: "main.py.hbs" },
  typescript: { entry: "main.ts", template: "main.ts.hbs" },
};
const EXAMPLE_INPUT = {};
/** The sandbox's own default, written out so the user sees where to change it. */
const MAX_TOOL_CALLS = 1000;

export async function newSkill(options: NewSkillOptions): Promise<NewSkillResult> {
  const name = options.name;
  const nameIssue = checkSkillName(name);
  if (nameIssue) {
    throw new SkillsError("NAME_INVALID", `invalid skill name: ${nameIssue.message}; a name must be ${NAME_RULE}`, {
      hint: `for example: skills new ${suggestSkillName(name)}`,
    });
  }
  const config = await loadProjectConfig(options.cwd);
  // A project that validates with a vendor profile gets names and descriptions that pass it.
  const claude = config.profile === "claude";
  const reserved = claude ? checkReservedName(name) : undefined;
  if (reserved) {
    throw new SkillsError(
      "NAME_INVALID",
      `invalid skill name: ${reserved.message} (profile claude, skills.config.json)`,
      {
        hint: `for example: skills new ${suggestSkillName(name, { dropReserved: true })}`,
      },
    );
  }
  const language = parseLanguage(options.lang);
  const tools = parseTools(options.tools ?? []);
  const description = checkDescription(options.description ?? defaultDescription(name), claude);

  const parent = options.dir !== undefined ? resolve(options.cwd, options.dir) : config.roots[0]!;
  const target = join(parent, name);
  const shown = relative(options.cwd, target) || ".";
  const defaulted = [...tools].filter(([, range]) => range === "*").map(([key]) => key);
  const input: RenderInput = { name, language, description, tools, target };
  const files = await renderFiles(input);
  await writeSkillFolder(target, files, options.cwd);
  const lock = tools.size > 0 ? await lockNewSkill(target, options.cwd) : undefined;
  if (lock?.status === "written" && defaulted.length > 0) {
    lock.ranges = await narrowRanges(input, defaulted);
  }
  return {
    ok: true,
    name,
    language,
    dir: shown,
    files: [...Object.keys(files), ...(lock?.status === "written" ? ["tools.lock.json"] : [])].sort(),
    tools: [...tools.keys()],
    ...(lock ? { lock } : {}),
    next: [
      `skills validate --strict ${shown}`,
      `skills run ${shown} --input '${JSON.stringify(EXAMPLE_INPUT)}'`,
      `skills test ${shown}`,
    ],
  };
}

/** Pins the new skill's tools as the servers list them now; a server that cannot answer leaves the skill unlocked. */
async function lockNewSkill(target: string, cwd: string): Promise<NewSkillLock> {
  const file = relative(cwd, join(target, "tools.lock.json"));
  try {
    const { lockSkillFolders } = await import("./shared/lock.js");
    const [skill] = await lockSkillFolders({ cwd, paths: [target] });
    if (skill?.status === "written" || skill?.status === "unchanged") return { file, status: "written" };
    const error = skill?.errors[0];
    return { file, status: "error", message: error ? `${error.code}: ${error.message}` : "not locked" };
  } catch (error) {
    return { file, status: "error", message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * A tool given without a range gets a caret range of the version locked just now (the tool's own, else its
 * server's), as save_skill does: "*" would accept any future breaking release. The manifest is rewritten whole.
 */
async function narrowRanges(input: RenderInput, keys: string[]): Promise<Record<string, string>> {
  const read = await readLockFile(input.target);
  if (read.status !== "ok") return {};
  const ranges: Record<string, string> = {};
  for (const key of keys) {
    const version = semver.valid(read.lock.tools[key]?.version ?? "");
    if (!version) continue;
    ranges[key] = `^${version}`;
    input.tools.set(key, ranges[key]);
  }
  if (Object.keys(ranges).length > 0) {
    await writeFileAtomic(join(input.target, "manifest.yaml"), renderManifest(input, await template("manifest.yaml.hbs")));
  }
  return ranges;
}

function parseLanguage(lang: string | undefined): NewSkillLanguage {
  const value = (lang ?? "python").toLowerCase();
  if (value === "python" || value === "py") return "python";
  if (value === "typescript" || value === "ts") return "typescript";
  throw new SkillsError("INVALID_ARGUMENT", `unknown language "${lang}"`, {
    hint: "use --lang python or --lang typescript",
  });
}

/** "server/tool" or "server/tool@<range>" (default range "*"), comma-separated or repeated. */
function parseTools(values: string[]): Map<string, string> {
  const tools = new Map<string, string>();
  const items = values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const item of items) {
    const at = item.indexOf("@");
    const key = at === -1 ? item : item.slice(0, at);
    const range = at === -1 ? "*" : item.slice(at + 1).trim();
    if (!TOOL_KEY_PATTERN.test(key)) {
      throw new SkillsError("INVALID_ARGUMENT", `--tools: "${key}" is not "<server>/<tool>"`, {
        hint: "list tools as server/tool (optionally @range), separated by commas, e.g. --tools filesystem/read_text_file@^0.2.0,memory/search_nodes",
      });
    }
    if (semver.validRange(range) === null) {
      throw new SkillsError("INVALID_ARGUMENT", `--tools: "${range}" is not a valid semver range for ${key}`, {
        hint: "use a range like ^0.2.0, ~1.2.3 or >=1 <2 (quote it in the shell)",
      });
    }
    tools.set(key, range);
  }
  return tools;
}

function defaultDescription(name: string): string {
  return `The ${name} skill, new from the template. Replace this description with what the skill does and when an agent should use it.`;
}

function titleOf(name: string): string {
  return name
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

interface RenderInput {
  name: string;
  language: NewSkillLanguage;
  description: string;
  tools: Map<string, string>;
  target: string;
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

async function template(file: string): Promise<HandlebarsTemplateDelegate> {
  const cached = compiled.get(file);
  if (cached) return cached;
  const fn = Handlebars.compile(await readFile(join(TEMPLATES, file), "utf8"), { noEscape: false, strict: true });
  compiled.set(file, fn);
  return fn;
}

/** User text reaches YAML only through the yaml serialiser and code only as comments with their terminators removed. */
async function renderFiles(input: RenderInput): Promise<Record<string, string>> {
  const { name, language, description, tools } = input;
  const { entry, template: entryTemplate } = LANGUAGES[language];
  const first = [...tools.keys()][0];
  const firstTool = first ? toolIdentifiers(first) : undefined;
  const testCase = { name: "basic", input: EXAMPLE_INPUT, expect: { equals: {} } };
  const oneLineDescription = description.replace(/\s+/g, " ");
  const view = {
    name,
    title: titleOf(name),
    description,
    frontmatter: stringify({ name, description }, { lineWidth: 0 }).trimEnd(),
    exampleInputJson: JSON.stringify(EXAMPLE_INPUT),
    tools: [...tools.keys()].map((key) => ({ key })),
    firstTool: firstTool ?? false,
    pyDocstring: `${name}: ${oneLineDescription.replace(/\\/g, "\\\\").replace(/"""/g, '\\"\\"\\"')}`,
    tsComment: `${name}: ${oneLineDescription.replace(/\*\//g, "* /")}`,
    testCase: stringify(testCase, { lineWidth: 0 }).trimEnd(),
  };
  const files: Record<string, string> = {
    "SKILL.md": `${(await template("SKILL.md.hbs"))(view).trimEnd()}\n`,
    "manifest.yaml": renderManifest(input, await template("manifest.yaml.hbs")),
    [entry]: (await template(entryTemplate))(view),
    "tests/basic.yaml": (await template("test-basic.yaml.hbs"))(view),
  };
  // A skill with tools replays its tests from cassettes; the scaffold's run() calls none, so its recording is empty
  // and `skills test` passes offline at once. Re-record with `skills test --record` once run() calls tools.
  if (tools.size > 0) {
    const cassette = { version: 1, skill: name, case: "basic", servers: {}, tools: [], calls: [] };
    files["cassettes/basic.json"] = `${JSON.stringify(cassette, null, 2)}\n`;
  }
  return files;
}

/**
 * The manifest: an input that takes nothing yet and an output of any object, for the user to describe; the tools as
 * given; max_tool_calls at the sandbox's default, written out so it is easy to find.
 */
function renderManifest(input: RenderInput, fill: HandlebarsTemplateDelegate): string {
  const { name, language, description, tools } = input;
  const manifest: Record<string, unknown> = {
    name,
    version: "0.1.0",
    language,
    entry: LANGUAGES[language].entry,
    description,
    input: { type: "object", properties: {}, additionalProperties: false },
    output: { type: "object" },
  };
  if (tools.size > 0) manifest.tools = Object.fromEntries(tools);
  manifest.limits = { timeout_ms: 30000, max_tool_calls: MAX_TOOL_CALLS };
  manifest.tags = [];
  return fill({
    manifest: stringify(manifest, { lineWidth: 0 }).trimEnd(),
    schemaPath: relative(input.target, schemaPath("manifest")).split("\\").join("/"),
  });
}

function toolIdentifiers(key: string): { pyModule: string; pyFunction: string; tsModule: string; tsFunction: string } {
  const [server = "", tool = ""] = key.split("/");
  const names = assignToolNames([tool]).get(tool)!;
  const module = sdkServerName(server);
  return { pyModule: module, pyFunction: names.python, tsModule: module, tsFunction: names.ts };
}
