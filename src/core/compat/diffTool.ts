/**
 * Changes to a tool as a whole: gone or renamed, deprecated, a description, title, annotation or _meta entry that
 * is not what was locked (a server that silently rewrites a tool after review), and the schema changes. Pure.
 */
import type { LockedToolEntry } from "../../contracts/compat.js";
import type { JsonObject } from "../../contracts/json.js";
import { diffToolSchemas } from "./diffSchema.js";
import { canonicalJson, isObject, sameShape } from "./normalize.js";
import { normalizeSchema } from "./normalize.js";
import type { Change } from "./types.js";

/** Everything that changed between the locked entry and the current one of the same tool. */
export function diffTool(before: LockedToolEntry, after: LockedToolEntry): Change[] {
  const out: Change[] = [];
  const deprecation = deprecationOf(after);
  if (deprecation && !deprecationOf(before)) {
    out.push({ rule: "tool-deprecated", direction: "tool", path: deprecation.path, field: [], text: deprecation.text });
  }
  for (const key of ["title", "description"] as const) {
    const a = (before[key] ?? "").trim();
    const b = (after[key] ?? "").trim();
    if (a === b) continue;
    // a deprecation notice written into the description is reported once, as the deprecation
    if (key === "description" && deprecation?.path === "/description" && !deprecationOf(before)) continue;
    out.push({
      rule: "tool-description-changed",
      direction: "tool",
      path: `/${key}`,
      field: [],
      keyword: key,
      before: a,
      after: b,
      text: b,
    });
  }
  for (const key of changedKeys(before.annotations, after.annotations)) {
    if (key === "deprecated") continue;
    out.push({
      rule: "tool-annotation-changed",
      direction: "tool",
      path: `/annotations/${escapeToken(key)}`,
      field: [],
      keyword: key,
      before: before.annotations?.[key],
      after: after.annotations?.[key],
    });
  }
  for (const key of changedKeys(before._meta, after._meta)) {
    // _meta.version drives the range check; _meta.deprecated is the deprecation rule
    if (key === "version" || key === "deprecated") continue;
    out.push({
      rule: "tool-meta-changed",
      direction: "tool",
      path: `/_meta/${escapeToken(key)}`,
      field: [],
      keyword: key,
      before: before._meta?.[key],
      after: after._meta?.[key],
    });
  }
  out.push(...diffToolSchemas(before, after));
  return out;
}

function changedKeys(a: JsonObject | undefined, b: JsonObject | undefined): string[] {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  return [...keys].sort().filter((key) => canonicalJson(a?.[key]) !== canonicalJson(b?.[key]));
}

function escapeToken(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Where a tool says it is deprecated, in the server's own words. */
export function deprecationOf(tool: LockedToolEntry): { path: string; text: string } | undefined {
  const meta = tool._meta?.deprecated;
  if (meta === true || (typeof meta === "string" && meta.trim() !== "")) {
    return {
      path: "/_meta/deprecated",
      text: typeof meta === "string" ? meta.trim() : (tool.description ?? "").trim(),
    };
  }
  const annotation = tool.annotations?.deprecated;
  if (annotation === true || (typeof annotation === "string" && annotation.trim() !== "")) {
    return {
      path: "/annotations/deprecated",
      text: typeof annotation === "string" ? annotation.trim() : (tool.description ?? "").trim(),
    };
  }
  const description = (tool.description ?? "").trim();
  if (/^\W*deprecated\b/i.test(description)) return { path: "/description", text: description };
  return undefined;
}

/**
 * The tool a removed one was renamed to: the only tool of the same server, not among `taken` (tools that existed
 * before), whose input and output schemas have the same shape.
 */
export function findRenamedTool(
  removed: LockedToolEntry,
  candidates: LockedToolEntry[],
  taken: Set<string>,
): { renamed?: LockedToolEntry; similar: string[] } {
  const shape = (tool: LockedToolEntry) => ({
    input: normalizeSchema(tool.inputSchema),
    output: tool.outputSchema ? normalizeSchema(tool.outputSchema) : null,
  });
  const wanted = shape(removed);
  const matches = candidates.filter(
    (tool) => tool.name !== removed.name && !taken.has(tool.name) && sameShape(shape(tool), wanted),
  );
  if (matches.length === 1) return { renamed: matches[0]!, similar: [] };
  return { similar: matches.map((tool) => tool.name).sort() };
}

export { isObject };
