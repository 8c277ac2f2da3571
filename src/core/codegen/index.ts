/**
 * SDK generation: tools -> the browsable tree
 *
 *   servers/__init__.py                 package marker, lists the server packages
 *   servers/_runtime.py | _runtime.ts   the runtime (copied verbatim; it talks to the bridge)
 *   servers/<server>/__init__.py        re-exports every tool function and its Input/Output TypedDicts
 *   servers/<server>/index.ts           re-exports every tool function and its Input/Output interfaces
 *   servers/<server>/<tool>.py | .ts    one module per tool
 *
 * Pure: no IO. Deterministic: the same tools (in any order) give byte-identical files, sorted by path.
 */
import { SkillsError } from "../../errors.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { jsDoc, pyDocstring, pyString } from "./escape.js";
import { lowerTool } from "./lower.js";
import {
  type SdkNames,
  TypeNameAllocator,
  assignServerNames,
  assignToolNames,
  compareCodePoints,
  sdkNames,
} from "./names.js";
import { pythonParams, pythonSignature, pythonToolModule } from "./pyModule.js";
import { PyModuleTypes } from "./pyPrinter.js";
import { normalizeTool, serverOrigin } from "./toolText.js";
import { tsSignature, tsToolModule } from "./tsModule.js";

export { assignServerNames, assignToolNames, sdkNames, sdkServerName, splitWords, type SdkNames } from "./names.js";

export type SdkLanguage = "ts" | "python" | "both";

export { SDK_FORMAT_VERSION } from "./version.js";

export interface GeneratedFile {
  /** Relative to the output folder, with `/` separators: `servers/<server>/<tool>.py`. */
  path: string;
  content: string;
}

export interface GenerateSdkOptions {
  lang: SdkLanguage;
  /** Contents of runtime/python/_runtime.py and runtime/ts/_runtime.ts; the one(s) `lang` needs are required. */
  runtime: { python?: string; ts?: string };
}

/** One server's generated folder name and its tools' names, as generateSdk lays them out. */
export interface SdkLayout {
  server: string;
  folder: string;
  tools: { tool: ToolInfo; names: SdkNames }[];
}

/** How generateSdk names servers and tools: sorted by folder, tools sorted by tool name, duplicates dropped. */
export function sdkLayout(tools: ToolInfo[]): SdkLayout[] {
  const byServer = new Map<string, Map<string, ToolInfo>>();
  for (const tool of tools.map(normalizeTool)) {
    const serverTools = byServer.get(tool.server) ?? new Map<string, ToolInfo>();
    if (!serverTools.has(tool.name)) serverTools.set(tool.name, tool);
    byServer.set(tool.server, serverTools);
  }
  const folders = assignServerNames([...byServer.keys()]);
  const layout: SdkLayout[] = [];
  for (const [server, serverTools] of byServer) {
    const names = assignToolNames([...serverTools.keys()]);
    const sorted = [...serverTools.values()].sort((a, b) => compareCodePoints(a.name, b.name));
    layout.push({
      server,
      folder: folders.get(server)!,
      tools: sorted.map((tool) => ({ tool, names: names.get(tool.name)! })),
    });
  }
  return layout.sort((a, b) => compareCodePoints(a.folder, b.folder));
}

export function generateSdk(tools: ToolInfo[], options: GenerateSdkOptions): GeneratedFile[] {
  const python = options.lang === "python" || options.lang === "both";
  const ts = options.lang === "ts" || options.lang === "both";
  if (!python && !ts) {
    throw new SkillsError("INVALID_ARGUMENT", `unknown SDK language: ${String(options.lang)}`, {
      hint: "use ts, python or both",
    });
  }
  if (python && options.runtime.python === undefined) {
    throw new SkillsError("INTERNAL", "generateSdk needs the Python runtime source (runtime.python)");
  }
  if (ts && options.runtime.ts === undefined) {
    throw new SkillsError("INTERNAL", "generateSdk needs the TypeScript runtime source (runtime.ts)");
  }
  const layout = sdkLayout(tools);
  const files: GeneratedFile[] = [];
  for (const server of layout) {
    const dir = `servers/${server.folder}`;
    const pyImports: string[] = [];
    const tsExports: string[] = [];
    const pyAll: string[] = [];
    for (const { tool, names } of server.tools) {
      const alloc = new TypeNameAllocator();
      const lowered = lowerTool(tool, names.pascal, alloc);
      if (python) {
        const module = pythonToolModule(tool, names, alloc, lowered);
        files.push({ path: `${dir}/${names.module}.py`, content: module.content });
        pyImports.push(`from .${names.module} import ${module.exports.join(", ")}`);
        pyAll.push(...module.exports);
      }
      if (ts) {
        const module = tsToolModule(tool, names, lowered);
        files.push({ path: `${dir}/${names.module}.ts`, content: module.content });
        tsExports.push(`export { ${module.value} } from "./${names.module}.js";`);
        tsExports.push(`export type { ${module.types.join(", ")} } from "./${names.module}.js";`);
      }
    }
    const first = server.tools[0]?.tool;
    const about = first
      ? `Tools of the MCP server ${JSON.stringify(server.server)} (${serverOrigin(first)}).`
      : `Tools of the MCP server ${JSON.stringify(server.server)}.`;
    if (python) {
      const all = [...pyAll].sort(compareCodePoints).map(pyString);
      files.push({
        path: `${dir}/__init__.py`,
        content: `${pyDocstring(`${about}\n\nGenerated by \`skills sdk\`. Do not edit: regenerate instead.`, "")}\n\n${pyImports.join("\n")}\n\n__all__ = [${all.join(", ")}]\n`,
      });
    }
    if (ts) {
      files.push({
        path: `${dir}/index.ts`,
        content: `${jsDoc(`${about}\n\nGenerated by \`skills sdk\`. Do not edit: regenerate instead.`)}${tsExports.join("\n")}\n`,
      });
    }
  }
  if (python) {
    const packages = layout.map((server) => pyString(server.folder)).join(", ");
    files.push({
      path: "servers/__init__.py",
      content: `${pyDocstring("Typed wrappers for MCP tools, one package per server: `from servers.<server> import <tool>`.\n\nGenerated by `skills sdk`. Do not edit: regenerate instead.", "")}\n\n__all__ = [${packages}]\n`,
    });
    files.push({ path: "servers/_runtime.py", content: options.runtime.python! });
  }
  if (ts) files.push({ path: "servers/_runtime.ts", content: options.runtime.ts! });
  return files.sort((a, b) => compareCodePoints(a.path, b.path));
}

/** How the Python wrapper of `tool` names each argument (TS wrappers use the original keys). */
export interface SdkParam {
  /** The key sent to the server. */
  key: string;
  /** The keyword argument of the Python wrapper. */
  python: string;
  required: boolean;
}

/**
 * The Python keyword arguments of a tool's wrapper, mapped to the keys the server receives; `extra` names the
 * `**kwargs` parameter when the tool accepts arbitrary keys. For static analysis of programs (which arguments a
 * skill passes).
 */
export function sdkParams(raw: ToolInfo): { params: SdkParam[]; extra?: string } {
  const tool = normalizeTool(raw);
  const names = sdkNames(tool, [tool]);
  const alloc = new TypeNameAllocator();
  const lowered = lowerTool(tool, names.pascal, alloc);
  const fn = pythonParams(lowered, new PyModuleTypes(alloc, [lowered.input, lowered.output, ...lowered.named], true));
  const params = fn.params.map((param) => ({ key: param.key, python: param.name, required: param.required }));
  return fn.extra ? { params, extra: fn.extra } : { params };
}

/** One-line-ish signatures of a tool's wrappers, for `skills tools show` / `--detail full`. */
export function renderSignatures(raw: ToolInfo): { ts: string; python: string } {
  const tool = normalizeTool(raw);
  const names = sdkNames(tool, [tool]);
  return { ts: tsSignature(tool, names), python: pythonSignature(tool, names) };
}
