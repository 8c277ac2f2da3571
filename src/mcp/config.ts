/**
 * Finds and loads .mcp.json: the nearest one in cwd or an ancestor, or the file given with --config.
 * Throws MCP_CONFIG_NOT_FOUND / MCP_CONFIG_INVALID (with file:line:column and all problems in data.problems).
 */
import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { displayPath } from "../core/paths.js";
import { SkillsError } from "../errors.js";
import { findProjectRoot } from "../store/config.js";
import { noteFailure, noteKind, readTextObserved } from "../store/observedFiles.js";
import { type McpConfig, parseMcpConfig } from "./config/parse.js";

export type { HttpServerConfig, McpConfig, ServerConfig, StdioServerConfig } from "./config/parse.js";
export { commandLine, parseMcpConfig } from "./config/parse.js";

export const MCP_CONFIG_FILE = ".mcp.json";

export interface LoadMcpConfigOptions {
  cwd: string;
  /** --config FILE: overrides the search. Relative to cwd. ${workspaceFolder} stays the project of `cwd`. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
}

export async function loadMcpConfig(options: LoadMcpConfigOptions): Promise<McpConfig> {
  const file = options.configPath ? resolve(options.cwd, options.configPath) : await findMcpConfig(options.cwd);
  if (!file) {
    throw new SkillsError("MCP_CONFIG_NOT_FOUND", `no ${MCP_CONFIG_FILE} in ${options.cwd} or any folder above it`, {
      hint: `create ${MCP_CONFIG_FILE} (see docs/mcp.md) or pass --config FILE`,
    });
  }
  let text: string;
  try {
    text = await readTextObserved(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SkillsError(
      "MCP_CONFIG_NOT_FOUND",
      code === "ENOENT" ? `config file not found: ${file}` : `cannot read ${file}: ${code ?? String(error)}`,
      { file: displayPath(file, options.cwd), hint: "check the path given to --config" },
    );
  }
  // A file given with --config serves the project the command runs in: using a .mcp.json kept elsewhere must not
  // move the filesystem server's root (${workspaceFolder}) there. Its relative paths stay relative to itself.
  const workspace = options.configPath ? await findProjectRoot(options.cwd) : dirname(file);
  const result = parseMcpConfig(text, file, options.env ?? process.env, { workspace });
  if (result.ok) return result.config;
  const shown = result.errors.map((problem) => ({ ...problem, file: displayPath(problem.file, options.cwd) }));
  const first = shown[0]!;
  const more = shown.length > 1 ? ` (and ${shown.length - 1} more problem${shown.length > 2 ? "s" : ""})` : "";
  throw new SkillsError("MCP_CONFIG_INVALID", `${first.message}${more}`, {
    file: first.file,
    line: first.line,
    column: first.column,
    pointer: first.pointer,
    ...(first.hint ? { hint: first.hint } : {}),
    problems: shown,
  });
}

/** The nearest .mcp.json in `cwd` or one of its ancestors, or undefined. */
export async function findMcpConfig(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, MCP_CONFIG_FILE);
    try {
      const stats = await stat(candidate);
      noteKind(candidate, stats);
      if (stats.isFile()) return candidate;
    } catch (error) {
      noteFailure(candidate, error);
      // not here: go up
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
