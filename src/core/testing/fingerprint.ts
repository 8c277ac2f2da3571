/** Canonical JSON and the schema fingerprint that pins what a tool looked like when a cassette was recorded. */
// Core's one node module beyond string helpers (docs/architecture.md): a hash is pure, same text -> same digest.
import { createHash } from "node:crypto";
import type { JsonObject } from "../../contracts/json.js";

/** JSON with object keys sorted at every depth and no whitespace; `undefined` members are dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  // One string built in place: this runs over every tool of a catalog (locks, compat), where the cost of
  // intermediate arrays showed.
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    return text === undefined ? "null" : text;
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ",";
      out += canonicalJson(value[index]);
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = "{";
  let first = true;
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** sha256 of canonical JSON of { inputSchema, outputSchema } (outputSchema left out when the tool has none). */
export function schemaFingerprint(tool: { inputSchema: JsonObject; outputSchema?: JsonObject }): string {
  return `sha256:${sha256(canonicalJson({ inputSchema: tool.inputSchema, outputSchema: tool.outputSchema }))}`;
}
