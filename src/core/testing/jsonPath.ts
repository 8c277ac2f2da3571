/**
 * A small JSONPath subset for `expect.match`: `$`, `.name`, `['name']` / `["name"]`, `[0]`, `[-1]`, `[*]`, `.*`,
 * and `..name` (recursive descent). Enough to point at a value; filters and slices are not supported and give a
 * clear error.
 */

export type PathSegment =
  | { kind: "key"; key: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" }
  | { kind: "descend"; key: string };

export class JsonPathError extends Error {
  override name = "JsonPathError";
}

export function parseJsonPath(path: string): PathSegment[] {
  if (!path.startsWith("$")) throw new JsonPathError(`JSONPath must start with "$": ${path}`);
  const segments: PathSegment[] = [];
  let i = 1;
  const identifier = /^[A-Za-z_$][\w$-]*/;
  while (i < path.length) {
    const rest = path.slice(i);
    if (rest.startsWith("..")) {
      const name = identifier.exec(rest.slice(2));
      if (!name) throw new JsonPathError(`expected a name after ".." at offset ${i} in ${path}`);
      segments.push({ kind: "descend", key: name[0] });
      i += 2 + name[0].length;
    } else if (rest.startsWith(".*")) {
      segments.push({ kind: "wildcard" });
      i += 2;
    } else if (rest.startsWith(".")) {
      const name = identifier.exec(rest.slice(1));
      if (!name) throw new JsonPathError(`expected a name after "." at offset ${i} in ${path}`);
      segments.push({ kind: "key", key: name[0] });
      i += 1 + name[0].length;
    } else if (rest.startsWith("[")) {
      const bracket = /^\[\s*(\*|-?\d+|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
      if (!bracket)
        throw new JsonPathError(`unsupported bracket expression at offset ${i} in ${path} (use [n], [*] or ['key'])`);
      const [whole, body, single, double] = bracket;
      if (body === "*") segments.push({ kind: "wildcard" });
      else if (single !== undefined) segments.push({ kind: "key", key: single.replace(/\\(.)/g, "$1") });
      else if (double !== undefined) segments.push({ kind: "key", key: double.replace(/\\(.)/g, "$1") });
      else segments.push({ kind: "index", index: Number(body) });
      i += whole.length;
    } else {
      throw new JsonPathError(`unexpected "${rest[0]}" at offset ${i} in ${path}`);
    }
  }
  return segments;
}

/** True when the path can select at most one node (no wildcard, no recursive descent). */
export function isDefinite(segments: PathSegment[]): boolean {
  return segments.every((s) => s.kind === "key" || s.kind === "index");
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null) return Object.values(value);
  return [];
}

function descend(value: unknown, key: string, out: unknown[]): void {
  if (typeof value !== "object" || value === null) return;
  if (!Array.isArray(value) && Object.hasOwn(value, key)) out.push((value as Record<string, unknown>)[key]);
  for (const child of children(value)) descend(child, key, out);
}

/** All nodes the path selects, in document order. */
export function queryJsonPath(root: unknown, path: string | PathSegment[]): unknown[] {
  const segments = typeof path === "string" ? parseJsonPath(path) : path;
  let nodes: unknown[] = [root];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (segment.kind === "key") {
        if (typeof node === "object" && node !== null && !Array.isArray(node) && Object.hasOwn(node, segment.key)) {
          next.push((node as Record<string, unknown>)[segment.key]);
        }
      } else if (segment.kind === "index") {
        if (Array.isArray(node)) {
          const at = segment.index < 0 ? node.length + segment.index : segment.index;
          if (at >= 0 && at < node.length) next.push(node[at]);
        }
      } else if (segment.kind === "wildcard") {
        next.push(...children(node));
      } else {
        descend(node, segment.key, next);
      }
    }
    nodes = next;
  }
  return nodes;
}
