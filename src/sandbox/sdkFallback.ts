/**
 * A minimal SDK tree generator, used only when src/core/codegen is not available. Same tree and names as the real
 * generator (servers/<server>/__init__.py|index.ts, snake_case / camelCase functions); arguments are untyped.
 */
import type { ToolInfo } from "../mcp/types.js";

export interface SdkFile {
  path: string;
  content: string;
}

const PY_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function pythonName(name: string): string {
  let out = words(name).join("_") || "tool";
  if (/^\d/.test(out)) out = `_${out}`;
  return PY_KEYWORDS.has(out) ? `${out}_` : out;
}

export function tsName(name: string): string {
  const parts = words(name);
  let out = parts.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join("") || "tool";
  if (/^\d/.test(out)) out = `_${out}`;
  return out;
}

const pyString = (value: string): string => JSON.stringify(value);

export function generateFallbackSdk(tools: ToolInfo[], runtime: { python: string; ts: string }): SdkFile[] {
  const servers = new Map<string, ToolInfo[]>();
  for (const tool of tools) servers.set(tool.server, [...(servers.get(tool.server) ?? []), tool]);
  const files: SdkFile[] = [
    { path: "servers/__init__.py", content: "" },
    { path: "servers/_runtime.py", content: runtime.python },
    { path: "servers/_runtime.ts", content: runtime.ts },
  ];
  for (const [server, list] of servers) {
    const py = ["from servers._runtime import call_tool, call_tool_async, ToolError", ""];
    const ts = ['import { callTool } from "../_runtime";', 'export { ToolError } from "../_runtime";', ""];
    for (const tool of list) {
      const call = `${pyString(server)}, ${pyString(tool.name)}`;
      py.push(
        `def ${pythonName(tool.name)}(args=None, /, **kwargs):`,
        `    return call_tool(${call}, {**(args or {}), **kwargs})`,
        "",
        `async def ${pythonName(tool.name)}_async(args=None, /, **kwargs):`,
        `    return await call_tool_async(${call}, {**(args or {}), **kwargs})`,
        "",
      );
      ts.push(
        `export function ${tsName(tool.name)}(args: Record<string, unknown> = {}): Promise<unknown> {`,
        `  return callTool(${call}, args);`,
        "}",
        "",
      );
    }
    files.push({ path: `servers/${pythonName(server)}/__init__.py`, content: py.join("\n") });
    files.push({ path: `servers/${server}/index.ts`, content: ts.join("\n") });
  }
  return files;
}
