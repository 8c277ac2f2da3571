/**
 * From what the analysers found in a skill's files (calls of SDK functions by their generated names) to what the
 * skill does with each of its tools: which are called where, with which arguments (Python keyword names mapped
 * back to the tool's keys), and which result fields are read. The SDK names come from the same naming rules the
 * generator uses, for the tools the manifest declares. Pure.
 */
import type {
  ArgumentUse,
  RawCall,
  SkillUsage,
  SourceAnalysis,
  ToolCallSite,
  ToolUsage,
  UndeclaredToolUse,
} from "../../contracts/compat.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { assignServerNames, assignToolNames, sdkParams } from "../codegen/index.js";
import { PYTHON_KEYWORD_SET } from "../codegen/reserved.js";

export interface DeclaredTool {
  /** `server/tool` */
  key: string;
  /** The tool's schemas when known (lock or catalog): map Python keyword arguments to keys exactly. */
  info?: ToolInfo;
}

interface Target {
  key: string;
  info?: ToolInfo;
}

/** `folder\0name` -> tool, for the Python and the TypeScript names of every declared tool. */
function sdkTable(declared: DeclaredTool[]): {
  python: Map<string, Target>;
  ts: Map<string, Target>;
  folders: Map<string, string>;
} {
  const byServer = new Map<string, DeclaredTool[]>();
  for (const tool of declared) {
    const slash = tool.key.indexOf("/");
    if (slash <= 0) continue;
    const server = tool.key.slice(0, slash);
    byServer.set(server, [...(byServer.get(server) ?? []), tool]);
  }
  const folders = assignServerNames([...byServer.keys()]);
  const python = new Map<string, Target>();
  const ts = new Map<string, Target>();
  const folderToServer = new Map<string, string>();
  for (const [server, tools] of byServer) {
    const folder = folders.get(server)!;
    folderToServer.set(folder, server);
    const names = assignToolNames(tools.map((tool) => tool.key.slice(server.length + 1)));
    for (const tool of tools) {
      const n = names.get(tool.key.slice(server.length + 1))!;
      const target: Target = { key: tool.key, ...(tool.info ? { info: tool.info } : {}) };
      python.set(`${folder}\0${n.python}`, target);
      // `from servers.weather.get_forecast import get_forecast`: the module file has the tool's module name
      python.set(`${folder}\0${n.module}`, target);
      ts.set(`${folder}\0${n.ts}`, target);
    }
  }
  return { python, ts, folders: folderToServer };
}

type SdkTable = ReturnType<typeof sdkTable>;

/** Tables of declared tools without schemas, by their keys: many skills declare the same tools. */
const tables = new Map<string, SdkTable>();
const MAX_TABLES = 256;

function tableOf(declared: DeclaredTool[]): SdkTable {
  if (declared.some((tool) => tool.info)) return sdkTable(declared);
  const key = declared.map((tool) => tool.key).join("\n");
  let table = tables.get(key);
  if (!table) {
    if (tables.size >= MAX_TABLES) tables.clear();
    table = sdkTable(declared);
    tables.set(key, table);
  }
  return table;
}

export function resolveUsage(analyses: SourceAnalysis[], declared: DeclaredTool[]): SkillUsage {
  // code that imports and calls nothing needs no names
  const used = analyses.some((a) => a.imports.length > 0 || a.calls.length > 0 || a.opaqueModules.length > 0);
  const table = used ? tableOf(declared) : { python: new Map(), ts: new Map(), folders: new Map() };
  const tools: Record<string, ToolUsage> = {};
  const undeclared: UndeclaredToolUse[] = [];
  const usageOf = (key: string): ToolUsage => {
    tools[key] ??= { tool: key, calls: [], imports: [] };
    return tools[key]!;
  };
  const opaque = new Set<string>();
  for (const analysis of analyses) {
    const names = analysis.language === "python" ? table.python : table.ts;
    const lookup = (module: string, name: string) => names.get(`${module}\0${name}`);
    for (const module of analysis.opaqueModules) opaque.add(table.folders.get(module) ?? module);
    for (const imported of analysis.imports) {
      const target = lookup(imported.module, imported.name);
      if (target)
        usageOf(target.key).imports.push({ name: imported.name, location: imported.location, span: imported.span });
      else if (!isRuntimeName(imported.name)) {
        undeclared.push({
          tool: guessKey(table.folders, imported.module, imported.name),
          symbol: symbolOf(analysis.language, imported.module, imported.name),
          location: imported.location,
        });
      }
    }
    for (const call of analysis.calls) {
      const target = resolveTarget(call, lookup, declared);
      if (target) {
        usageOf(target.key).calls.push(toSite(call, analysis.language, target.info));
      } else if (call.target.kind === "sdk") {
        const symbol = symbolOf(analysis.language, call.target.module, call.target.name);
        // an undeclared import is reported at the import; a call through a module object is reported here
        if (!undeclared.some((u) => u.symbol === symbol)) {
          undeclared.push({
            tool: guessKey(table.folders, call.target.module, call.target.name),
            symbol,
            location: call.location,
          });
        }
      } else if (call.target.server && call.target.tool) {
        undeclared.push({
          tool: `${call.target.server}/${call.target.tool}`,
          symbol: `call_tool("${call.target.server}", "${call.target.tool}")`,
          location: call.location,
        });
      }
    }
  }
  return {
    files: analyses.map((a) => a.file),
    tools,
    undeclared,
    diagnostics: analyses.flatMap((a) => a.diagnostics),
    opaqueServers: [...opaque].sort(),
  };
}

function resolveTarget(
  call: RawCall,
  lookup: (module: string, name: string) => Target | undefined,
  declared: DeclaredTool[],
): Target | undefined {
  if (call.target.kind === "sdk") return lookup(call.target.module, call.target.name);
  const { server, tool } = call.target;
  if (server === undefined || tool === undefined) return undefined;
  return declared.find((d) => d.key === `${server}/${tool}`) ?? undefined;
}

function toSite(call: RawCall, language: SourceAnalysis["language"], info: ToolInfo | undefined): ToolCallSite {
  const { target: _target, ...site } = call;
  if (language !== "python" || call.target.kind !== "sdk") return site;
  // Python wrappers take keyword arguments named after the keys, made safe: map them back
  const properties = info?.inputSchema.properties;
  const keys = properties && typeof properties === "object" ? Object.keys(properties) : [];
  // most keyword arguments are the key itself; the generator's naming is asked only for the others
  const plain = site.args.every((arg) => arg.path[0] === undefined || keys.includes(arg.path[0]));
  const mapping = info && !plain ? pythonKeys(info) : new Map<string, string>();
  const args: ArgumentUse[] = site.args.map((arg) => {
    const [first, ...rest] = arg.path;
    if (first === undefined) return arg;
    const key = mapping.get(first) ?? unsafePython(first);
    return { ...arg, path: [key, ...rest] };
  });
  return { ...site, args };
}

const keysByTool = new WeakMap<ToolInfo, Map<string, string>>();

/** Python keyword argument -> key, once per tool (the generator's own lowering decides the names). */
function pythonKeys(info: ToolInfo): Map<string, string> {
  let mapping = keysByTool.get(info);
  if (!mapping) {
    mapping = new Map(sdkParams(info).params.map((param) => [param.python, param.key]));
    keysByTool.set(info, mapping);
  }
  return mapping;
}

/** `from_` -> `from`: a keyword argument suffixed because the key is a Python keyword. */
function unsafePython(name: string): string {
  return name.endsWith("_") && PYTHON_KEYWORD_SET.has(name.slice(0, -1)) ? name.slice(0, -1) : name;
}

function isRuntimeName(name: string): boolean {
  return ["call_tool", "call_tool_async", "callTool", "ToolError", "*"].includes(name);
}

function symbolOf(language: SourceAnalysis["language"], module: string, name: string): string {
  return language === "python" ? `servers.${module}.${name}` : `${name} from "servers/${module}"`;
}

/** `getForecast` in servers/weather -> `weather/get_forecast`: the likely tool, for the message. */
function guessKey(folders: Map<string, string>, module: string, name: string): string {
  const server = folders.get(module) ?? module;
  const tool = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  return `${server}/${tool}`;
}
