/**
 * Was a cassette recorded against the tool schemas the skill expects? Compared with the skill's tools.lock.json
 * (written by `skills lock`) when there is one, and with the other cassettes of the same skill. A difference is a
 * warning; `skills test --strict` makes it fail the case.
 */

import type { JsonObject } from "../../contracts/json.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { isPlainObject } from "../json/index.js";
import type { Cassette } from "./types.js";

export interface FingerprintDrift {
  tool: string;
  recorded: string;
  expected: string;
  against: string;
}

/**
 * Reads `server/tool -> fingerprint` from a lock file. Accepted shapes: `{ tools: { "s/t": { fingerprint } } }`,
 * `{ dependencies: { "s/t": { fingerprint } } }`, or a list of `{ server, tool|name, fingerprint }` under either key.
 */
export function lockFingerprints(lock: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isPlainObject(lock)) return out;
  for (const key of ["tools", "dependencies"]) {
    const section = lock[key];
    if (Array.isArray(section)) {
      for (const entry of section) {
        if (!isPlainObject(entry) || typeof entry.fingerprint !== "string") continue;
        const name = typeof entry.tool === "string" ? entry.tool : entry.name;
        if (typeof entry.server === "string" && typeof name === "string")
          out.set(`${entry.server}/${name}`, entry.fingerprint);
        else if (typeof entry.key === "string") out.set(entry.key, entry.fingerprint);
      }
    } else if (isPlainObject(section)) {
      for (const [tool, entry] of Object.entries(section)) {
        if (isPlainObject(entry) && typeof entry.fingerprint === "string") out.set(tool, entry.fingerprint);
      }
    }
  }
  return out;
}

/** Drift of one cassette against expected fingerprints (`against` names where the expectation came from). */
export function findDrift(cassette: Cassette, expected: Map<string, string>, against: string): FingerprintDrift[] {
  const drift: FingerprintDrift[] = [];
  for (const tool of cassette.tools) {
    const key = `${tool.server}/${tool.name}`;
    const want = expected.get(key);
    if (want !== undefined && want !== tool.fingerprint)
      drift.push({ tool: key, recorded: tool.fingerprint, expected: want, against });
  }
  return drift;
}

function lockEntries(lock: unknown): [string, Record<string, unknown>][] {
  if (!isPlainObject(lock)) return [];
  const out: [string, Record<string, unknown>][] = [];
  for (const key of ["tools", "dependencies"]) {
    const section = lock[key];
    if (Array.isArray(section)) {
      for (const entry of section) {
        if (!isPlainObject(entry)) continue;
        const name = typeof entry.tool === "string" ? entry.tool : entry.name;
        if (typeof entry.server === "string" && typeof name === "string") out.push([`${entry.server}/${name}`, entry]);
        else if (typeof entry.key === "string") out.push([entry.key, entry]);
      }
    } else if (isPlainObject(section)) {
      for (const [tool, entry] of Object.entries(section)) if (isPlainObject(entry)) out.push([tool, entry]);
    }
  }
  return out;
}

/**
 * Tool schemas pinned in a lock file (entries with an `inputSchema`, directly or under `schema`), as ToolInfo: replay
 * takes the schemas of declared tools a cassette does not carry from here (DESIGN.md, "Replay").
 */
export function lockTools(lock: unknown): ToolInfo[] {
  const tools: ToolInfo[] = [];
  for (const [key, entry] of lockEntries(lock)) {
    const slash = key.indexOf("/");
    if (slash <= 0) continue;
    const schema = isPlainObject(entry.schema) ? entry.schema : entry;
    if (!isPlainObject(schema.inputSchema)) continue;
    const info = isPlainObject(entry.serverInfo) ? entry.serverInfo : {};
    const version =
      typeof info.version === "string"
        ? info.version
        : typeof entry.serverVersion === "string"
          ? entry.serverVersion
          : "0.0.0";
    tools.push({
      server: key.slice(0, slash),
      serverInfo: { name: typeof info.name === "string" ? info.name : key.slice(0, slash), version },
      name: key.slice(slash + 1),
      inputSchema: schema.inputSchema as JsonObject,
      ...(isPlainObject(schema.outputSchema) ? { outputSchema: schema.outputSchema as JsonObject } : {}),
      ...(typeof entry.description === "string" ? { description: entry.description } : {}),
    });
  }
  return tools;
}
