/**
 * The language-neutral type model that JSON Schemas are lowered to. The TS and Python printers render it; neither
 * looks at a schema. Anything a schema says that cannot be expressed becomes `unknown` with a note.
 */

export type Primitive = "string" | "number" | "integer" | "boolean" | "null";
export type LiteralValue = string | number | boolean;

export type TypeNode =
  | { kind: "unknown"; note?: string }
  | { kind: "never" }
  | { kind: "primitive"; name: Primitive }
  | { kind: "literal"; value: LiteralValue }
  | { kind: "array"; items: TypeNode }
  | { kind: "tuple"; items: TypeNode[]; rest: TypeNode | null }
  | { kind: "object"; props: PropNode[]; index: TypeNode | null; note?: string }
  | { kind: "union"; members: TypeNode[] }
  | { kind: "intersection"; members: TypeNode[] }
  | { kind: "ref"; name: string }
  /** A `$ref` back into a type that is being inlined: adds no values, so unions and intersections drop it. */
  | { kind: "cycle" };

export interface PropNode {
  key: string;
  type: TypeNode;
  required: boolean;
  description?: string;
}

/** A named type: `$ref` targets and the tool's Input/Output roots. */
export interface NamedType {
  name: string;
  node: TypeNode;
  description?: string;
}

export const UNKNOWN: TypeNode = { kind: "unknown" };
export const NEVER: TypeNode = { kind: "never" };
export const CYCLE: TypeNode = { kind: "cycle" };

export function unknownNode(note?: string): TypeNode {
  return note ? { kind: "unknown", note } : UNKNOWN;
}

/** A de-duplication key for leaf nodes; compound nodes are de-duplicated by identity (stringifying is too slow). */
function nodeKey(node: TypeNode): unknown {
  switch (node.kind) {
    case "primitive":
      return `p:${node.name}`;
    case "literal":
      return `l:${typeof node.value}:${String(node.value)}`;
    case "ref":
      return `r:${node.name}`;
    default:
      return node;
  }
}

/** Nodes that union and intersection of one member return unchanged. */
function isSimple(node: TypeNode): boolean {
  return (
    node.kind !== "union" &&
    node.kind !== "intersection" &&
    node.kind !== "unknown" &&
    node.kind !== "never" &&
    node.kind !== "cycle"
  );
}

/** A union, flattened and de-duplicated; `unknown` absorbs everything, `never` disappears. */
export function unionOf(members: TypeNode[]): TypeNode {
  if (members.length === 1 && isSimple(members[0]!)) return members[0]!;
  const flat: TypeNode[] = [];
  const seen = new Set<unknown>();
  let cycle = false;
  for (const member of members) {
    const parts = member.kind === "union" ? member.members : [member];
    for (const part of parts) {
      if (part.kind === "cycle") cycle = true;
      if (part.kind === "never" || part.kind === "cycle") continue;
      if (part.kind === "unknown") return part;
      const key = nodeKey(part);
      if (seen.has(key)) continue;
      seen.add(key);
      flat.push(part);
    }
  }
  if (flat.length === 0) return cycle ? CYCLE : NEVER;
  if (flat.length === 1) return flat[0]!;
  return { kind: "union", members: flat };
}

/** An intersection, flattened; `unknown` members disappear, `never` absorbs everything. */
export function intersectionOf(members: TypeNode[]): TypeNode {
  if (members.length === 1 && isSimple(members[0]!)) return members[0]!;
  const flat: TypeNode[] = [];
  const seen = new Set<unknown>();
  let dropped: TypeNode | undefined;
  let cycle = false;
  for (const member of members) {
    const parts = member.kind === "intersection" ? member.members : [member];
    for (const part of parts) {
      if (part.kind === "cycle") cycle = true;
      if (part.kind === "unknown" && part.note) dropped ??= part;
      if (part.kind === "unknown" || part.kind === "cycle") continue;
      if (part.kind === "never") return NEVER;
      const key = nodeKey(part);
      if (seen.has(key)) continue;
      seen.add(key);
      flat.push(part);
    }
  }
  // Nothing precise left: keep the reason (an unresolved or circular $ref) as the note of `unknown`.
  if (flat.length === 0) return dropped ?? (cycle ? CYCLE : UNKNOWN);
  if (flat.length === 1) return flat[0]!;
  return { kind: "intersection", members: flat };
}

/** True when `null` is one of the values the node admits at the top level. */
export function admitsNull(node: TypeNode): boolean {
  if (node.kind === "primitive") return node.name === "null";
  if (node.kind === "union") return node.members.some(admitsNull);
  return node.kind === "unknown";
}
