/**
 * Gathers what explainRunError (src/core/run/explainError.ts) needs about a failed run: where the skill's manifest
 * declares its tools and limits, which tool an undeclared SDK import names (from the catalog cache: an error never
 * starts a server, and a replayed test stays offline), and which servers .mcp.json configures.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunError } from "../../contracts/run.js";
import type { SkillLanguage } from "../../contracts/skill.js";
import { assignToolNames, sdkServerName } from "../../core/codegen/names.js";
import { displayPath } from "../../core/paths.js";
import {
  type ExplainContext,
  type ImportedTool,
  explainRunError,
  undeclaredImport,
} from "../../core/run/explainError.js";
import { cachedServerTools } from "../../mcp/catalog.js";
import { loadMcpConfig, type McpConfig } from "../../mcp/config.js";

export interface ExplainFacts {
  language: SkillLanguage;
  cwd: string;
  configPath?: string;
  cacheDir: string;
  /** The skill folder, when a skill ran (its manifest.yaml is where tools and limits are declared). */
  skillDir?: string;
  /** `server/tool` keys the run could call. */
  declared: string[];
  maxToolCalls: number;
}

export async function explainFailure(error: RunError, facts: ExplainFacts): Promise<RunError> {
  const ctx: ExplainContext = {
    language: facts.language,
    declared: facts.declared,
    maxToolCalls: facts.maxToolCalls,
  };
  if (facts.skillDir) ctx.manifest = await manifestLines(facts.skillDir, facts.cwd);
  const imported = undeclaredImport(error, facts.language);
  if (imported) {
    const config = await loadMcpConfig({
      cwd: facts.cwd,
      ...(facts.configPath ? { configPath: facts.configPath } : {}),
    }).catch(() => undefined);
    if (config) {
      const servers = Object.keys(config.servers);
      ctx.servers = servers.map((server) => sdkServerName(server, servers));
      const tool = await importedTool(config, facts.cacheDir, imported.folder, imported.name);
      if (tool) ctx.imported = tool;
    }
  }
  return explainRunError(error, ctx);
}

/** The manifest's file as shown, and the lines of its `tools:` and `limits:` keys. */
async function manifestLines(skillDir: string, cwd: string): Promise<NonNullable<ExplainContext["manifest"]>> {
  const path = join(skillDir, "manifest.yaml");
  const file = displayPath(path, cwd);
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) return { file };
  // Only a failed run gets here: the YAML parser (a large module) is not loaded by runs that succeed.
  const { parseYaml } = await import("../../core/yaml/parseYaml.js");
  const parsed = parseYaml(text, { file });
  if (!parsed.ok) return { file };
  const value = parsed.value as Record<string, unknown> | null;
  const line = (key: string) =>
    value && typeof value === "object" && key in value ? parsed.locate(`/${key}`, "key").line : undefined;
  const toolsLine = line("tools");
  const limitsLine = line("limits");
  return { file, ...(toolsLine ? { toolsLine } : {}), ...(limitsLine ? { limitsLine } : {}) };
}

/** The tool of the server with SDK folder `folder` whose generated name is `name` (from the cache only). */
async function importedTool(
  config: McpConfig,
  cacheDir: string,
  folder: string,
  name: string | undefined,
): Promise<ImportedTool | undefined> {
  const servers = Object.keys(config.servers);
  const server = servers.find((candidate) => sdkServerName(candidate, servers) === folder);
  if (!server || name === undefined) return undefined;
  const cached = await cachedServerTools(config, cacheDir, server);
  if (!cached) return undefined;
  const names = assignToolNames(cached.tools.map((tool) => tool.name));
  const tool = cached.tools.find((candidate) => {
    const sdk = names.get(candidate.name);
    return sdk?.python === name || sdk?.ts === name;
  });
  if (!tool) return undefined;
  const version = cached.serverInfo.version;
  return { key: `${server}/${tool.name}`, ...(/^\d+\.\d+\.\d+/.test(version) ? { range: `^${version}` } : {}) };
}
