/** Turns the text of a .mcp.json into resolved server configs, or Problems with positions. No IO. */
import { isAbsolute, resolve } from "node:path";
import type { Problem } from "../../contracts/problem.js";
import { expandVariables, showVariables, variablesIn } from "./expand.js";
import {
  escapePointerToken,
  type JsonPosition,
  nearestPosition,
  parseJsonWithPositions,
} from "../../core/json/index.js";
import { validateMcpConfigShape } from "./schema.js";

export interface StdioServerConfig {
  type: "stdio";
  name: string;
  /** Absolute when the configured command contained a slash; else looked up on PATH. */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Absolute; the config's folder unless set. */
  cwd: string;
  /** Connect timeout from the config, in milliseconds. */
  timeoutMs?: number;
  /** The command line as messages show it: `${VAR}` not expanded (see showVariables). */
  shown?: string;
  /** The environment variables its command, args, env and cwd take (names only), if any. */
  variables?: string[];
}

export interface HttpServerConfig {
  type: "http";
  name: string;
  url: string;
  headers: Record<string, string>;
  timeoutMs?: number;
  /** The URL as messages show it: `${VAR}` not expanded (see showVariables). */
  shown?: string;
}

export type ServerConfig = StdioServerConfig | HttpServerConfig;

export interface McpConfig {
  /** Absolute path of the .mcp.json. */
  file: string;
  /**
   * The workspace folder: `${workspaceFolder}`, and a server's working folder unless it sets `cwd`. The folder of a
   * .mcp.json found by search; for a file given with --config, the project the command runs in (not that file's
   * folder). Relative paths written in the file (`command`, `cwd`) are relative to the file's own folder.
   */
  dir: string;
  servers: Record<string, ServerConfig>;
  /** Servers with "disabled": true. */
  disabled?: string[];
}

export type ParseMcpConfigResult = { ok: true; config: McpConfig } | { ok: false; errors: Problem[] };

interface RawServer {
  type?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  disabled?: boolean;
  timeout?: number;
}

export function parseMcpConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv,
  options: { workspace?: string } = {},
): ParseMcpConfigResult {
  // The workspace (`${workspaceFolder}`, a server's default cwd) and the folder relative paths in the file start from.
  const dir = options.workspace ?? resolve(file, "..");
  const fileDir = resolve(file, "..");
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) {
    return {
      ok: false,
      errors: [
        {
          severity: "error",
          code: "JSON_SYNTAX",
          message: `invalid JSON: ${parsed.message}`,
          file,
          line: parsed.position.line,
          column: parsed.position.column,
          pointer: "",
          hint: ".mcp.json is strict JSON: double-quoted keys and strings, no comments, no trailing commas",
        },
      ],
    };
  }
  const shape = validateMcpConfigShape(parsed.value, file, parsed.positions);
  if (shape.length > 0) return { ok: false, errors: shape };

  const raw = (parsed.value as { mcpServers: Record<string, RawServer> }).mcpServers;
  const errors: Problem[] = [];
  const servers: Record<string, ServerConfig> = {};
  const disabled: string[] = [];
  const builtins = { workspaceFolder: dir };
  for (const [name, server] of Object.entries(raw)) {
    if (server.disabled) {
      disabled.push(name);
      continue;
    }
    const base = `/mcpServers/${escapePointerToken(name)}`;
    const expand = (value: string, pointer: string): string => {
      const result = expandVariables(value, env, builtins);
      if (result.ok) return result.value;
      errors.push(unsetVariableProblem(result.variable, file, pointer, parsed.positions));
      return "";
    };
    const expandRecord = (record: Record<string, string> | undefined, key: string) =>
      Object.fromEntries(
        Object.entries(record ?? {}).map(([k, v]) => [k, expand(v, `${base}/${key}/${escapePointerToken(k)}`)]),
      );
    const timeoutMs = server.timeout;
    if (server.type === "http") {
      servers[name] = {
        type: "http",
        name,
        url: expand(server.url ?? "", `${base}/url`),
        headers: expandRecord(server.headers, "headers"),
        ...(timeoutMs ? { timeoutMs } : {}),
        shown: showVariables(server.url ?? "", builtins),
      };
    } else {
      const variables = [
        server.command ?? "",
        ...(server.args ?? []),
        ...Object.values(server.env ?? {}),
        server.cwd ?? "",
      ].flatMap((value) => variablesIn(value, builtins));
      const command = expand(server.command ?? "", `${base}/command`);
      const shownCommand = showVariables(server.command ?? "", builtins);
      // Relative paths are relative to the .mcp.json file (which --config may put elsewhere than the project).
      const cwd = server.cwd === undefined ? dir : resolve(fileDir, expand(server.cwd, `${base}/cwd`));
      servers[name] = {
        type: "stdio",
        name,
        command: resolveCommand(command, fileDir),
        args: (server.args ?? []).map((arg, index) => expand(arg, `${base}/args/${index}`)),
        env: expandRecord(server.env, "env"),
        cwd,
        ...(timeoutMs ? { timeoutMs } : {}),
        ...(variables.length > 0 ? { variables: [...new Set(variables)] } : {}),
        shown: commandLine([
          resolveCommand(shownCommand, fileDir),
          ...(server.args ?? []).map((arg) => showVariables(arg, builtins)),
        ]),
      };
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { file, dir, servers, ...(disabled.length > 0 ? { disabled } : {}) } };
}

function unsetVariableProblem(
  variable: string,
  file: string,
  pointer: string,
  positions: Map<string, JsonPosition>,
): Problem {
  const position = nearestPosition(pointer, positions);
  return {
    severity: "error",
    code: "MCP_CONFIG_VARIABLE",
    message: `environment variable ${variable} is not set (used at ${pointer})`,
    file,
    line: position.line,
    column: position.column,
    pointer,
    hint: `set ${variable}, or give a default with \${${variable}:-value}`,
  };
}

/** A command with a slash is a path relative to the config's folder; without one it is looked up on PATH. */
function resolveCommand(command: string, dir: string): string {
  return command.includes("/") && !isAbsolute(command) ? resolve(dir, command) : command;
}

/** A command and its arguments as one line, quoting the parts a shell would split. */
export function commandLine(parts: string[]): string {
  return parts.map((part) => (/[\s"']/.test(part) ? JSON.stringify(part) : part)).join(" ");
}
