/**
 * `skills new <name> --from-run <id>`: turns a logged exec run into a skill folder — its code as the entry, a manifest
 * with the tools it called at the servers' current versions, a SKILL.md to fill in, and a test case — then validates
 * it. The run log keeps no inputs or results (only their sizes and the result's JSON type), so the test case takes its
 * input from `--input` (the one the run was given) and checks the result's type; `skills test --record` then records
 * the cassette from the live servers.
 */
import { join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import type { Problem } from "../../contracts/problem.js";
import type { RunRecord } from "../../contracts/runRecord.js";
import { type ToolInfo, toolKey } from "../../contracts/tools.js";
import { checkSkillName, NAME_RULE, suggestSkillName } from "../../core/validate/names.js";
import { isSkillsError, SkillsError } from "../../errors.js";
import { loadProjectConfig } from "../../store/config.js";
import { loadSkill } from "../../store/loadSkill.js";
import { readRunCode } from "../../store/runLog/code.js";
import { readRunLog } from "../../store/runLog/read.js";
import { schemaPath } from "../../store/schemas.js";
import { parseInputArgument } from "../shared/input.js";
import { openToolset } from "../shared/toolset.js";
import { checkDescription } from "./description.js";
import { writeSkillFolder } from "./writeSkillFolder.js";

export interface NewFromRunOptions {
  name: string;
  /** The run's id (`r_…`, from `skills exec` or `skills insights`); a unique prefix of at least 6 characters works. */
  runId: string;
  description?: string;
  /** Parent folder, relative to cwd (default: the first configured root). */
  dir?: string;
  /** The run's input for the test case: JSON text or @file. */
  input?: string;
  /** .mcp.json to ask for the tools' current versions. */
  configPath?: string;
  cwd: string;
}

export interface FromRunTool {
  key: string;
  /** The server's (or tool's) version now, when the server answered. */
  version?: string;
  range: string;
}

export interface NewFromRunResult {
  ok: boolean;
  name: string;
  language: string;
  dir: string;
  files: string[];
  run: { id: string; time: string; outcome: string; resultType?: string; inputBytes?: number };
  tools: FromRunTool[];
  /** How the test case was made: its input given with --input, or the empty object. */
  testInput: "given" | "empty";
  /**
   * The folder checked as `skills validate --strict` checks its files. A skill that calls tools also needs its test
   * recorded (`recordFirst`) before validate passes: a case that replays nothing tests none of its calls.
   */
  validation: { ok: boolean; errors: Problem[]; warnings: Problem[]; recordFirst?: boolean };
  next: string[];
  warnings: string[];
}

const ENTRIES: Record<string, string> = { python: "main.py", typescript: "main.ts", javascript: "main.js" };

export async function newSkillFromRun(options: NewFromRunOptions): Promise<NewFromRunResult> {
  const nameIssue = checkSkillName(options.name);
  if (nameIssue) {
    throw new SkillsError("NAME_INVALID", `invalid skill name: ${nameIssue.message}; a name must be ${NAME_RULE}`, {
      hint: `for example: skills new ${suggestSkillName(options.name)} --from-run ${options.runId}`,
    });
  }
  const config = await loadProjectConfig(options.cwd);
  const record = await findRun(config.runLog.path, options.runId);
  const code = readRunCode(config.runLog.path, record.code_sha256 ?? "", record.language);
  if (code === undefined) {
    throw new SkillsError("RUN_CODE_MISSING", `the code of run ${record.id} is not beside the run log`, {
      hint: "the program held what looked like personal data or a secret (so it was never kept), or runs/code/ was cleaned; start the skill with `skills new <name> --tools ...` instead",
    });
  }
  const warnings: string[] = [];
  if (record.outcome !== "ok") {
    warnings.push(
      `run ${record.id} failed (${record["error.type"] ?? "error"}): the skill has its code as it was; fix it before relying on it`,
    );
  }
  const description = checkDescription(options.description ?? defaultDescription(record));
  const parsed = options.input !== undefined ? await parseInputArgument(options.input, options.cwd) : undefined;
  // `{}` (2 bytes) is what a run without --input was given.
  if (!parsed && record.input_bytes !== undefined && record.input_bytes > 2) {
    warnings.push(
      `run ${record.id} had an input (${record.input_bytes} bytes of JSON) that the run log does not keep: the test case uses {} — pass the same input with --input`,
    );
  }
  const tools = await currentTools(calledTools(record), options, config.cacheDir, warnings);
  const parent = options.dir !== undefined ? resolve(options.cwd, options.dir) : config.roots[0]!;
  const target = join(parent, options.name);
  const files = renderFiles(target, options.name, record, code, description, tools, parsed?.value ?? {});
  await writeSkillFolder(target, files, options.cwd);
  const shown = relative(options.cwd, target) || ".";
  // Checked as `skills validate --strict` checks it, with problems named relative to cwd.
  const checked = await loadSkill(target, { strict: true, displayDir: shown });
  const validation = {
    ok: checked.ok,
    errors: checked.ok ? [] : checked.errors,
    warnings: checked.warnings,
    ...(tools.length > 0 ? { recordFirst: true } : {}),
  };
  const next = [
    `edit ${shown}/SKILL.md and the schemas in ${shown}/manifest.yaml`,
    ...(tools.length > 0 ? [`skills test --record ${shown}   # records the cassette from the live servers`] : []),
    `skills test ${shown}`,
    `skills validate --strict ${shown}`,
  ];
  return {
    ok: validation.ok,
    name: options.name,
    language: record.language,
    dir: shown,
    files: Object.keys(files).sort(),
    run: {
      id: record.id,
      time: record.time,
      outcome: record.outcome,
      ...(record.result_type ? { resultType: record.result_type } : {}),
      ...(record.input_bytes !== undefined ? { inputBytes: record.input_bytes } : {}),
    },
    tools,
    testInput: parsed ? "given" : "empty",
    validation,
    next,
    warnings,
  };
}

async function findRun(logPath: string, id: string): Promise<RunRecord> {
  const wanted = id.trim();
  if (!/^r_[0-9a-f]{4,16}$/.test(wanted)) {
    throw new SkillsError("INVALID_ARGUMENT", `"${id}" is not a run id`, {
      hint: "run ids look like r_3f9a1c2b7d4e5f60; `skills exec` prints the id of each run it logs",
    });
  }
  const { records } = await readRunLog(logPath);
  const matches = records.filter(
    (record): record is RunRecord => record.kind !== "search" && record.id.startsWith(wanted),
  );
  const exact = matches.find((record) => record.id === wanted);
  const found = exact ?? (matches.length === 1 && wanted.length >= 8 ? matches[0] : undefined);
  if (!found) {
    throw new SkillsError(
      "RUN_NOT_FOUND",
      matches.length > 1 ? `${matches.length} runs start with ${wanted}` : `no run ${wanted} in the run log`,
      {
        hint:
          matches.length > 1
            ? "give more of the id"
            : "check the id (`skills exec` prints it; `skills insights` names runs worth a skill); the log may have been rotated away",
      },
    );
  }
  if (found.kind !== "exec") {
    throw new SkillsError("INVALID_ARGUMENT", `run ${found.id} is a ${found.kind} run; --from-run takes exec runs`, {
      hint:
        found.kind === "repl"
          ? "a repl cell depends on the cells before it: put the program together and run it with `skills exec`"
          : "this run's code is a skill already",
    });
  }
  return found;
}

/** Tools the run called (refused calls to undeclared tools left out), in the order first called. */
function calledTools(record: RunRecord): string[] {
  return record.tools
    .filter((tool) => tool.calls > (tool.errors?.TOOL_NOT_DECLARED ?? 0))
    .map((tool) => tool["gen_ai.tool.name"]);
}

/** Each tool's version now (its own `_meta.version`, else its server's), as a caret range; "*" when unknown. */
async function currentTools(
  keys: string[],
  options: NewFromRunOptions,
  cacheDir: string,
  warnings: string[],
): Promise<FromRunTool[]> {
  if (keys.length === 0) return [];
  let infos: ToolInfo[] = [];
  try {
    const toolset = await openToolset({
      cwd: options.cwd,
      ...(options.configPath ? { configPath: options.configPath } : {}),
      cacheDir,
      keys,
    });
    infos = toolset.tools;
    await toolset.close();
  } catch (error) {
    const why = isSkillsError(error) ? `${error.code}: ${error.message}` : String(error);
    warnings.push(
      `could not ask the servers for the tools' current versions (${why}): the manifest says "*" — narrow it, or run \`skills lock\``,
    );
  }
  return keys.map((key) => {
    const info = infos.find((tool) => toolKey(tool.server, tool.name) === key);
    const meta = info?._meta?.version;
    const version = typeof meta === "string" ? meta : info?.serverInfo.version;
    const valid = version !== undefined && /^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(version);
    return { key, ...(version ? { version } : {}), range: valid ? `^${version}` : "*" };
  });
}

function defaultDescription(record: RunRecord): string {
  const tools = calledTools(record);
  const calls = tools.length ? `It calls ${tools.join(", ")}.` : "It calls no tools.";
  return `Made from exec run ${record.id}. ${calls} Replace this with what the skill does and when to use it.`;
}

function renderFiles(
  target: string,
  name: string,
  record: RunRecord,
  code: string,
  description: string,
  tools: FromRunTool[],
  input: unknown,
): Record<string, string> {
  const entry = ENTRIES[record.language] ?? "main.py";
  const made = `Made from run ${record.id} (${record.time.slice(0, 10)}) with \`skills new --from-run\`.`;
  const header = record.language === "python" ? `# ${made}\n` : `// ${made}\n`;
  const manifest: Record<string, unknown> = {
    name,
    version: "0.1.0",
    language: record.language,
    entry,
    description,
    input: { type: "object" },
    output: record.result_type ? { type: record.result_type } : {},
  };
  if (tools.length > 0) manifest.tools = Object.fromEntries(tools.map((tool) => [tool.key, tool.range]));
  const calls = record.tool_calls;
  manifest.limits = { timeout_ms: 30000, max_tool_calls: Math.max(50, calls * 4) };
  manifest.tags = ["from-run"];
  const testCase = {
    name: "from-run",
    description: `From run ${record.id}. The run log keeps no input or result values, so this case checks that the skill returns ${record.result_type ? `a JSON ${record.result_type}` : "a result"}; add expectations (equals, subset, match) for the values you rely on.`,
    input,
    expect: { schema: record.result_type ? { type: record.result_type } : {} },
  };
  const toolList = tools.length ? tools.map((tool) => `\`${tool.key}\``).join(", ") : "no tools";
  const skillMd = [
    "---",
    stringify({ name, description }, { lineWidth: 0 }).trimEnd(),
    "---",
    "",
    `# ${name}`,
    "",
    `${made} Fill in the parts below: agents read this file to decide when to use the skill.`,
    "",
    "## When to use",
    "",
    "TODO: the tasks this skill does, in the words an agent would search for.",
    "",
    "## Input and output",
    "",
    `TODO: what goes in and what comes back (the schemas are in manifest.yaml). It calls ${toolList}.`,
    "",
    "## How to run",
    "",
    "```sh",
    `skills run ${name} --input '${JSON.stringify(input)}'`,
    "```",
    "",
  ].join("\n");
  return {
    "SKILL.md": skillMd,
    "manifest.yaml": `# yaml-language-server: $schema=${relative(target, schemaPath("manifest")).split("\\").join("/")}\n${stringify(manifest, { lineWidth: 0 })}`,
    [entry]: header + code + (code.endsWith("\n") ? "" : "\n"),
    "tests/from-run.yaml": stringify(testCase, { lineWidth: 0 }),
  };
}
