/**
 * A failed run's error as a new user needs it: which rule of the sandbox the program met and what to change.
 * An SDK import of a tool the skill does not declare is TOOL_NOT_DECLARED with the manifest line to add; a ToolError
 * the host raised and the program did not catch keeps the host's code (TOOL_CALL_LIMIT names limits.max_tool_calls);
 * a missing package or no network gets a hint about the sandbox. Pure: the caller brings the facts.
 */
import type { RunError } from "../../contracts/run.js";
import type { SkillLanguage } from "../../contracts/skill.js";

/** An SDK import the run's SDK does not have: `servers/<folder>` (and the function name, when one was named). */
export interface UndeclaredImport {
  /** The server's SDK folder (`filesystem`, `my_server`). */
  folder: string;
  /** The function imported (`read_file`, `readFile`), when the import named one. */
  name?: string;
}

/** What the caller found out about the tool an undeclared import names. */
export interface ImportedTool {
  /** `server/tool`, as manifest.yaml declares it. */
  key: string;
  /** The range to declare: `^<version>` of the server's version, when known. */
  range?: string;
}

export interface ExplainContext {
  language: SkillLanguage;
  /** Where tools are declared: the skill's manifest (shown path, and the line of `tools:` or of its end). */
  manifest?: { file: string; toolsLine?: number; limitsLine?: number };
  /** The run's max_tool_calls. */
  maxToolCalls?: number;
  /** The tool an undeclared import names, when the catalog knows it; `undefined`: unknown. */
  imported?: ImportedTool;
  /** The SDK folders of the servers .mcp.json configures (to say when an import names a server that is not there). */
  servers?: string[];
  /** Tools the run could call (`server/tool`), for `--tools` advice in an exec. */
  declared?: string[];
}

const HOST_CODES = ["TOOL_CALL_LIMIT", "TOOL_NOT_DECLARED", "TOOL_ARGS_INVALID", "TOOL_CALL_FAILED", "BRIDGE_CLOSED"];

/** The SDK import a failed run could not make, if that is why it failed. */
export function undeclaredImport(error: RunError, language: SkillLanguage): UndeclaredImport | undefined {
  const message = error.message;
  if (language === "python") {
    const module = /^ModuleNotFoundError: No module named 'servers\.([A-Za-z0-9_]+)'/.exec(message);
    if (module) return { folder: module[1]! };
    const name = /^ImportError: cannot import name '([A-Za-z0-9_]+)' from 'servers(?:\.([A-Za-z0-9_]+))?'/.exec(
      message,
    );
    if (name) return name[2] ? { folder: name[2], name: name[1]! } : { folder: name[1]! };
    return undefined;
  }
  const module = /no generated SDK module "servers\/([A-Za-z0-9_]+)/.exec(message);
  if (module) return { folder: module[1]! };
  const name = /No matching export in "[^"]*servers\/([A-Za-z0-9_]+)\/index\.ts" for import "([A-Za-z0-9_$]+)"/.exec(
    message,
  );
  if (name) return { folder: name[1]!, name: name[2]! };
  return undefined;
}

/** The error with the code and words a user can act on; the error as it was when nothing is known about it. */
export function explainRunError(error: RunError, ctx: ExplainContext): RunError {
  const imported = undeclaredImport(error, ctx.language);
  if (imported) return explainImport(error, imported, ctx);
  const host = hostCode(error);
  if (host === "TOOL_CALL_LIMIT") return explainLimit(error, ctx);
  if (host) return { ...error, code: host };
  const hint = sandboxHint(error, ctx.language);
  return hint ? { ...error, hint } : error;
}

/** The host's code of an uncaught ToolError (`... [TOOL_CALL_LIMIT]`), if the run died of one. */
function hostCode(error: RunError): string | undefined {
  if (error.code !== "PROGRAM_ERROR") return undefined;
  const first = error.message.split("\n")[0] ?? "";
  if (!/ToolError\b/.test(first)) return undefined;
  const code = /\[([A-Z_]+)\]\s*$/.exec(first)?.[1];
  return code && HOST_CODES.includes(code) ? code : undefined;
}

function explainImport(error: RunError, imported: UndeclaredImport, ctx: ExplainContext): RunError {
  const what = imported.name ? `${imported.name} from servers/${imported.folder}` : `servers/${imported.folder}`;
  const key = ctx.imported?.key;
  const line = key ? `${key}: ${JSON.stringify(ctx.imported?.range ?? "*")}` : undefined;
  const unknownServer = !key && ctx.servers !== undefined && !ctx.servers.includes(imported.folder);
  const message = key
    ? `the program imports ${what}, but ${key} is not declared: the generated SDK has only the tools the ${ctx.manifest ? "skill declares" : "run allows"}`
    : `the program imports ${what}, which is not a tool the ${ctx.manifest ? "skill declares" : "run allows"}${unknownServer ? ` (and .mcp.json configures no server "${imported.folder}")` : ""}`;
  let hint: string;
  if (ctx.manifest) {
    const where = `${ctx.manifest.file}${ctx.manifest.toolsLine ? `:${ctx.manifest.toolsLine}` : ""}`;
    hint = line
      ? `declare it under \`tools:\` in ${where}:\n    ${line}`
      : `declare the tool under \`tools:\` in ${where} as "<server>/<tool>": <range>; \`skills tools search\` finds its name`;
  } else {
    const allowed = [...(ctx.declared ?? []), key ?? `${imported.folder}/<tool>`];
    hint = `allow it with --tools ${allowed.join(",")}`;
  }
  if (unknownServer) hint += `; add the server "${imported.folder}" to .mcp.json first`;
  return {
    ...error,
    code: "TOOL_NOT_DECLARED",
    message,
    hint,
    // The location is the import in the user's code, not the SDK file the message named.
    ...(ctx.manifest && !error.file ? { file: ctx.manifest.file } : {}),
  };
}

function explainLimit(error: RunError, ctx: ExplainContext): RunError {
  const max = ctx.maxToolCalls;
  const limit = max !== undefined ? ` (${max})` : "";
  const where = ctx.manifest
    ? `limits.max_tool_calls in ${ctx.manifest.file}${ctx.manifest.limitsLine ? `:${ctx.manifest.limitsLine}` : ""}`
    : "the run's max_tool_calls";
  return {
    ...error,
    code: "TOOL_CALL_LIMIT",
    message: `the program made more tool calls than limits.max_tool_calls${limit} allows`,
    hint: `raise ${where}${ctx.manifest ? "" : " (a skill sets it in manifest.yaml)"}, or make fewer calls (one call that returns more, or stop early)`,
  };
}

/** A hint for what only the sandbox does: no third-party packages, no network. */
export function sandboxHint(error: RunError, language: SkillLanguage): string | undefined {
  const message = error.message;
  if (language === "python") {
    const module = /^ModuleNotFoundError: No module named '([^'.]+)/.exec(message);
    if (module) {
      return `the sandbox runs Python with its standard library only (python3 -S -I: no site-packages), so "${module[1]}" cannot be imported; copy pure-Python code into the skill folder, or let an MCP tool do that work`;
    }
  } else if (/Could not resolve "(?!servers\b)[^".][^"]*"/.test(message)) {
    return "a program may import node's built-ins, the generated SDK (servers/...) and files inside the skill folder (a node_modules folder there included); install the package into the skill folder, or let an MCP tool do that work";
  }
  const network =
    /Temporary failure in name resolution|Name or service not known|Network is unreachable|EAI_AGAIN|ENOTFOUND|ENETUNREACH|ECONNREFUSED|getaddrinfo|urlopen error|fetch failed|gaierror/i;
  if (network.test(message)) {
    return "the sandbox has no network: reach the outside world through an MCP tool (a fetch or API server in .mcp.json), declared under `tools:` in manifest.yaml";
  }
  return undefined;
}
