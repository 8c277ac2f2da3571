/**
 * The tools skills declare, against the servers of .mcp.json (`skills validate`): a server .mcp.json does not
 * configure is SERVER_UNKNOWN, a tool its server does not list TOOL_UNKNOWN, each with the closest name. The
 * catalog comes from .skills/cache when it is current (no server starts), else from the servers. Without a .mcp.json
 * the check is skipped with a note, so a skill folder can be validated on its own.
 */
import { join } from "node:path";
import semver from "semver";
import type { Problem } from "../../contracts/problem.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { escapePointerToken } from "../../core/json/index.js";
import { makeProblem } from "../../core/validate/codes.js";
import { closestMatches } from "../../core/validate/suggest.js";
import type { Position } from "../../core/yaml/index.js";
import { isSkillsError } from "../../errors.js";
import { type LiveCatalog, openLiveCatalog } from "../../mcp/liveCatalog.js";
import { manifestPositions } from "./manifestPositions.js";

export interface CatalogCheckInput {
  skill: LoadedSkill;
  /** The skill folder as problems name it. */
  shown: string;
  /** Where each declared tool's key is in manifest.yaml, from the parse that loaded the skill. */
  toolPositions?: ReadonlyMap<string, Position>;
}

export interface CatalogCheck {
  /** Problems per input, in order. */
  problems: Problem[][];
  /** The declared tools the catalog knows, by `server/tool` (for the type check). */
  tools: Map<string, ToolInfo>;
  /** Every tool of the servers asked, by `server/tool`: the caret range of its version now (for hints). */
  ranges: Map<string, string>;
  notes: string[];
}

export async function checkDeclaredTools(
  inputs: CatalogCheckInput[],
  strict: boolean,
  options: { cwd: string; configPath?: string; cacheDir: string },
): Promise<CatalogCheck> {
  const result: CatalogCheck = { problems: inputs.map(() => []), tools: new Map(), ranges: new Map(), notes: [] };
  const servers = [
    ...new Set(inputs.flatMap(({ skill }) => Object.keys(skill.manifest.tools ?? {}).map((key) => serverOf(key)))),
  ].filter((server) => server !== "");
  if (servers.length === 0) return result;
  let catalog: LiveCatalog;
  try {
    catalog = await openLiveCatalog({
      cwd: options.cwd,
      ...(options.configPath ? { configPath: options.configPath } : {}),
      cacheDir: options.cacheDir,
      servers,
    });
  } catch (error) {
    if (isSkillsError(error) && error.code === "MCP_CONFIG_NOT_FOUND") {
      result.notes.push(
        "no .mcp.json: the tools the skills declare were not checked against their servers (pass --config FILE, or add .mcp.json)",
      );
      return result;
    }
    throw error;
  }
  try {
    for (const name of servers) {
      const server = catalog.servers.get(name);
      if (server?.error && server.error.code !== "SERVER_NOT_FOUND") {
        result.notes.push(`the tools of "${name}" were not checked: ${server.error.message}`);
      }
      for (const tool of server?.error ? [] : (server?.tools ?? [])) {
        const own = tool._meta?.version;
        const version = semver.valid(typeof own === "string" ? own : tool.serverInfo.version);
        if (version) result.ranges.set(`${name}/${tool.name}`, `^${version}`);
      }
    }
    await Promise.all(
      inputs.map(async (input, index) => {
        result.problems[index] = await problemsOf(input, catalog, strict, result.tools);
      }),
    );
  } finally {
    await catalog.close();
  }
  return result;
}

function serverOf(key: string): string {
  const slash = key.indexOf("/");
  return slash > 0 ? key.slice(0, slash) : "";
}

async function problemsOf(
  { skill, shown, toolPositions }: CatalogCheckInput,
  catalog: LiveCatalog,
  strict: boolean,
  known: Map<string, ToolInfo>,
): Promise<Problem[]> {
  const keys = Object.keys(skill.manifest.tools ?? {});
  if (keys.length === 0) return [];
  const file = join(shown, "manifest.yaml");
  const at = await manifestPositions(skill, file, strict, toolPositions);
  const problems: Problem[] = [];
  for (const key of keys) {
    const server = serverOf(key);
    const tool = key.slice(server.length + 1);
    const entry = catalog.servers.get(server);
    const pointer = `/tools/${escapePointerToken(key)}`;
    const { line, column } = at(key);
    if (entry?.error?.code === "SERVER_NOT_FOUND") {
      problems.push(
        makeProblem(
          {
            code: "SERVER_UNKNOWN",
            message: `${key}: .mcp.json configures no server "${server}"`,
            file,
            line,
            column,
            pointer,
            hint: entry.error.hint ?? "add the server to .mcp.json, or fix its name",
          },
          strict,
        ),
      );
      continue;
    }
    // A server that did not answer is a note (above): its tools are unknown, not wrong.
    if (!entry || entry.error) continue;
    const found = entry.tools.find((info) => info.name === tool);
    if (found) {
      known.set(key, found);
      continue;
    }
    const names = entry.tools.map((info) => info.name);
    const close = closestMatches(tool, names);
    problems.push(
      makeProblem(
        {
          code: "TOOL_UNKNOWN",
          message: `${key}: the server "${server}" has no tool "${tool}"`,
          file,
          line,
          column,
          pointer,
          hint:
            close.length > 0
              ? `did you mean "${server}/${close[0]}"?`
              : `the tools of ${server}: ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", …" : ""}`,
        },
        strict,
      ),
    );
  }
  return problems;
}
