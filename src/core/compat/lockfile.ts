/**
 * tools.lock.json: built from catalog entries, written with a stable key order and no timestamps (re-locking an
 * unchanged server changes no byte), read back with positions for every problem. Pure.
 */
import { LOCKFILE_VERSION, type LockedTool, type LockedToolEntry, type ToolsLock } from "../../contracts/compat.js";
import type { Problem, ValidationResult } from "../../contracts/problem.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { escapePointerToken, parseJsonLazily } from "../json/index.js";
import { schemaValidator } from "../schema/index.js";
import { canonicalJson, schemaFingerprint, sha256 } from "../testing/fingerprint.js";
import { toIssue } from "../validate/issues.js";
import { TOOLS_LOCK_SCHEMA } from "./lockSchema.js";

export const LOCK_FILE = "tools.lock.json";

/** The version a range resolves against: the tool's own `_meta.version` where the server publishes one. */
export function toolVersion(tool: { serverInfo: { version: string }; _meta?: Record<string, unknown> }): string {
  const own = tool._meta?.version;
  return typeof own === "string" && own.trim() !== "" ? own.trim() : tool.serverInfo.version;
}

/** The raw tools/list entry of a catalog tool (without what the catalog adds: server, serverInfo). */
export function rawEntry(tool: ToolInfo | LockedToolEntry): LockedToolEntry {
  const entry: LockedToolEntry = {
    name: tool.name,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema,
  };
  if (tool.outputSchema !== undefined) entry.outputSchema = tool.outputSchema;
  if (tool.annotations !== undefined) entry.annotations = tool.annotations;
  if (tool._meta !== undefined) entry._meta = tool._meta;
  return entry;
}

export function lockTool(tool: ToolInfo, protocolVersion: string): LockedTool {
  const entry = rawEntry(tool);
  return {
    server: tool.server,
    serverInfo: { name: tool.serverInfo.name, version: tool.serverInfo.version },
    protocolVersion,
    version: toolVersion(tool),
    fingerprint: schemaFingerprint(entry),
    sha256: sha256(canonicalJson(entry)),
    tool: entry,
  };
}

export function buildLock(entries: Iterable<[string, LockedTool]>): ToolsLock {
  const tools: Record<string, LockedTool> = {};
  for (const [key, entry] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) tools[key] = entry;
  return { lockfileVersion: LOCKFILE_VERSION, tools };
}

/**
 * The file's text. Our own keys are written in one fixed order; the tool entry keeps the server's key order (it is
 * the server's document, and a server lists its tools the same way each time).
 */
export function serializeLock(lock: ToolsLock): string {
  const tools: Record<string, unknown> = {};
  for (const key of Object.keys(lock.tools).sort()) {
    const t = lock.tools[key]!;
    tools[key] = {
      server: t.server,
      serverInfo: { name: t.serverInfo.name, version: t.serverInfo.version },
      protocolVersion: t.protocolVersion,
      version: t.version,
      fingerprint: t.fingerprint,
      sha256: t.sha256,
      tool: rawEntry(t.tool),
    };
  }
  return `${JSON.stringify({ lockfileVersion: lock.lockfileVersion, tools }, null, 2)}\n`;
}

const CODE = "LOCK_INVALID";
const HINT = "run `skills lock` to write it again";

/** `verify`: check each entry's sha256 against its text (a lock edited by hand is a warning). */
export function parseLock(text: string, file: string, verify = true): ValidationResult<ToolsLock> {
  const json = parseJsonLazily(text);
  if (!json.ok) {
    return { ok: false, errors: [problem(`not valid JSON: ${json.message}`, file, json.position, "")], warnings: [] };
  }
  const { value, locate } = json;
  const issues = schemaValidator("fileFormat", TOOLS_LOCK_SCHEMA).validate(value).map(toIssue);
  if (issues.length > 0) {
    const errors = issues.map((issue) => {
      const where = issue.pointer === "" ? "" : `${issue.pointer.slice(1).replace(/\//g, ".")}: `;
      return problem(`${where}${issue.message}`, file, locate(issue.pointer, issue.target), issue.pointer, issue.hint);
    });
    return { ok: false, errors, warnings: [] };
  }
  const lock = value as ToolsLock;
  const warnings: Problem[] = [];
  for (const [key, entry] of verify ? Object.entries(lock.tools) : []) {
    if (sha256(canonicalJson(rawEntry(entry.tool))) !== entry.sha256) {
      const pointer = `/tools/${escapePointerToken(key)}/sha256`;
      warnings.push({
        ...problem(
          `${key} was edited by hand after it was locked (its sha256 does not match)`,
          file,
          locate(pointer),
          pointer,
        ),
        severity: "warning",
        code: "LOCK_EDITED",
      });
    }
  }
  return { ok: true, value: lock, warnings };
}

function problem(
  message: string,
  file: string,
  at: { line: number; column: number },
  pointer: string,
  hint = HINT,
): Problem {
  return { severity: "error", code: CODE, message, file, line: at.line, column: at.column, pointer, hint };
}

/** How a lock on disk differs from the one `skills lock` would write now (for `--check`). */
export interface LockDrift {
  missing: string[];
  extra: string[];
  changed: string[];
}

export function lockDrift(current: ToolsLock | undefined, wanted: ToolsLock): LockDrift {
  const have = current?.tools ?? {};
  const missing = Object.keys(wanted.tools).filter((key) => !(key in have));
  const extra = Object.keys(have).filter((key) => !(key in wanted.tools));
  const changed = Object.keys(wanted.tools).filter(
    (key) => key in have && canonicalJson(have[key]) !== canonicalJson(wanted.tools[key]),
  );
  return { missing, extra, changed };
}

/** A lock entry as the ToolInfo the rest of the toolkit uses. */
export function lockedToolInfo(key: string, entry: LockedTool): ToolInfo {
  const info: ToolInfo = {
    server: entry.server || key.slice(0, key.indexOf("/")),
    serverInfo: { name: entry.serverInfo.name, version: entry.serverInfo.version },
    name: entry.tool.name,
    inputSchema: entry.tool.inputSchema,
  };
  if (entry.tool.title !== undefined) info.title = entry.tool.title;
  if (entry.tool.description !== undefined) info.description = entry.tool.description;
  if (entry.tool.outputSchema !== undefined) info.outputSchema = entry.tool.outputSchema;
  if (entry.tool.annotations !== undefined) info.annotations = entry.tool.annotations;
  if (entry.tool._meta !== undefined) info._meta = entry.tool._meta;
  return info;
}
