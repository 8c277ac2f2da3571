/**
 * JSON Schema -> TypeNode. Total: any value (garbage included) lowers to some TypeNode without throwing.
 *
 * `$ref`s are local JSON pointers into the same document (inputSchema or outputSchema). A ref to a plain object
 * schema, and any ref inside a structure (object property, index signature, array or tuple item), becomes a named
 * type, which both languages can make recursive. A ref to anything else at the top of a type (directly or through a
 * union/intersection) is inlined, because `type A = A | null` is illegal in TS and a bare alias is a string in Python;
 * a ref back into a type being inlined adds no values (`A = B | string`, `B = A | number` gives `string | number`),
 * and a type that is nothing but such a cycle becomes `unknown`.
 */
import type { JsonObject } from "../../contracts/json.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { isPlainObject, valueAtPointer } from "../json/index.js";
import type { TypeNameAllocator } from "./names.js";
import {
  type NamedType,
  type PropNode,
  type TypeNode,
  NEVER,
  UNKNOWN,
  intersectionOf,
  unionOf,
  unknownNode,
} from "./typeNode.js";

const MAX_DEPTH = 40;

interface Doc {
  root: unknown;
  decls: Map<string, NamedType>;
}

interface State {
  alloc: TypeNameAllocator;
  named: NamedType[];
  toolPascal: string;
  /** Bodies of declared types still to lower: done in a loop, not by recursion, so long ref chains cannot overflow the stack. */
  pending: (() => void)[];
}

interface Frame {
  guarded: boolean;
  inline: ReadonlySet<string>;
  depth: number;
}

/** The description a schema gives itself (description, else title). */
export function describe(schema: unknown): string | undefined {
  if (!isPlainObject(schema)) return undefined;
  if (typeof schema.description === "string" && schema.description.trim()) return schema.description;
  if (typeof schema.title === "string" && schema.title.trim()) return schema.title;
  return undefined;
}

/**
 * Lowers the document `root` into a named type `rootName`; `$ref` targets become further named types, appended to
 * `state.named` in the order they are first met.
 */
export function lowerDocument(root: unknown, rootName: string, state: State): NamedType {
  const decl: NamedType = { name: rootName, node: UNKNOWN };
  const description = describe(root);
  if (description !== undefined) decl.description = description;
  const doc: Doc = { root, decls: new Map([["", decl]]) };
  decl.node = lower(root, doc, state, { guarded: false, inline: new Set([""]), depth: 0 });
  for (let next = state.pending.shift(); next; next = state.pending.shift()) next();
  return decl;
}

function lower(schema: unknown, doc: Doc, state: State, frame: Frame): TypeNode {
  if (schema === true || schema === undefined) return UNKNOWN;
  if (schema === false) return NEVER;
  if (!isPlainObject(schema)) return unknownNode("not a JSON Schema");
  if (frame.depth > MAX_DEPTH) return unknownNode("schema nested too deeply");
  const next: Frame = { ...frame, depth: frame.depth + 1 };
  const parts: TypeNode[] = [];
  if ("$ref" in schema) parts.push(lowerRef(schema.$ref, doc, state, next));
  const base = lowerBase(schema, doc, state, next);
  if (base) parts.push(base);
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches) && branches.length > 0) {
      parts.push(unionOf(branches.map((branch) => lower(branch, doc, state, next))));
    }
  }
  if (Array.isArray(schema.allOf)) {
    for (const branch of schema.allOf) parts.push(lower(branch, doc, state, next));
  }
  const node = intersectionOf(parts);
  return schema.nullable === true ? unionOf([node, { kind: "primitive", name: "null" }]) : node;
}

function lowerRef(ref: unknown, doc: Doc, state: State, frame: Frame): TypeNode {
  if (typeof ref !== "string") return unknownNode("$ref is not a string");
  const resolved = resolvePointer(doc.root, ref);
  if (!resolved) return unknownNode("unresolved $ref");
  const { pointer, target } = resolved;
  if (frame.guarded || isPlainObjectSchema(target)) {
    return { kind: "ref", name: declare(pointer, target, doc, state) };
  }
  if (frame.inline.has(pointer)) return { kind: "cycle" };
  return lower(target, doc, state, { ...frame, inline: new Set([...frame.inline, pointer]) });
}

function declare(pointer: string, target: unknown, doc: Doc, state: State): string {
  const existing = doc.decls.get(pointer);
  if (existing) return existing.name;
  const segments = pointer
    .split("/")
    .filter((segment) => segment && !["$defs", "definitions", "properties"].includes(segment));
  const decl: NamedType = { name: state.alloc.allocate(state.toolPascal, ...segments.slice(-2)), node: UNKNOWN };
  const description = describe(target);
  if (description !== undefined) decl.description = description;
  doc.decls.set(pointer, decl);
  state.named.push(decl);
  state.pending.push(() => {
    decl.node = lower(target, doc, state, { guarded: false, inline: new Set([pointer]), depth: 0 });
  });
  return decl.name;
}

/** Resolves a local ref (`#`, `#/$defs/x`, percent-encoded, `~0`/`~1` escapes) against the document root. */
export function resolvePointer(root: unknown, ref: string): { pointer: string; target: unknown } | undefined {
  if (!ref.startsWith("#")) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (fragment !== "" && !fragment.startsWith("/")) return undefined;
  const found = valueAtPointer(root, fragment);
  return found.found ? { pointer: fragment, target: found.value } : undefined;
}

const COMPOSITION = ["$ref", "anyOf", "oneOf", "allOf", "enum", "const"];

/** An object schema and nothing else: safe to declare as an interface / TypedDict and reference anywhere. */
function isPlainObjectSchema(schema: unknown): boolean {
  if (!isPlainObject(schema) || schema.nullable === true) return false;
  if (COMPOSITION.some((keyword) => keyword in schema)) return false;
  if (schema.type === "object") return true;
  return schema.type === undefined && ("properties" in schema || "additionalProperties" in schema);
}

function lowerBase(schema: JsonObject, doc: Doc, state: State, frame: Frame): TypeNode | undefined {
  if ("const" in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) {
    return schema.enum.length === 0 ? unknownNode("empty enum") : unionOf(schema.enum.map(literal));
  }
  let types: unknown[] = [];
  if (typeof schema.type === "string") types = [schema.type];
  else if (Array.isArray(schema.type)) types = schema.type;
  else if (["properties", "additionalProperties", "patternProperties"].some((key) => key in schema)) {
    types = ["object"];
  } else if (["items", "prefixItems"].some((key) => key in schema)) types = ["array"];
  if (types.length === 0) return undefined;
  return unionOf(types.map((type) => lowerType(type, schema, doc, state, frame)));
}

function lowerType(type: unknown, schema: JsonObject, doc: Doc, state: State, frame: Frame): TypeNode {
  switch (type) {
    case "string":
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return { kind: "primitive", name: type };
    case "object":
      return lowerObject(schema, doc, state, { ...frame, guarded: true });
    case "array":
      return lowerArray(schema, doc, state, { ...frame, guarded: true });
    default:
      return unknownNode("unknown JSON Schema type");
  }
}

function literal(value: unknown): TypeNode {
  if (value === null) return { kind: "primitive", name: "null" };
  if (typeof value === "string" || typeof value === "boolean") return { kind: "literal", value };
  if (typeof value === "number" && Number.isFinite(value))
    return { kind: "literal", value: Object.is(value, -0) ? 0 : value };
  return unknownNode("enum value that is an object or array");
}

function lowerObject(schema: JsonObject, doc: Doc, state: State, frame: Frame): TypeNode {
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((key) => typeof key === "string") : [],
  );
  const props: PropNode[] = [];
  if (isPlainObject(schema.properties)) {
    for (const [key, propSchema] of Object.entries(schema.properties)) {
      const prop: PropNode = { key, type: lower(propSchema, doc, state, frame), required: required.has(key) };
      const description = describe(propSchema);
      if (description !== undefined) prop.description = description;
      props.push(prop);
    }
  }
  const indexParts: TypeNode[] = [];
  const additional = schema.additionalProperties;
  if (additional === true) indexParts.push(UNKNOWN);
  else if (isPlainObject(additional)) indexParts.push(lower(additional, doc, state, frame));
  if (isPlainObject(schema.patternProperties)) {
    for (const patternSchema of Object.values(schema.patternProperties)) {
      indexParts.push(lower(patternSchema, doc, state, frame));
    }
  }
  let index = indexParts.length > 0 ? unionOf(indexParts) : null;
  if (index?.kind === "never" && props.length > 0) index = null;
  // `{type: "object"}` says nothing about its keys: any object. `properties: {}` lists none: no arguments.
  if (props.length === 0 && index === null && additional !== false && !isPlainObject(schema.properties))
    index = UNKNOWN;
  return { kind: "object", props, index };
}

function lowerArray(schema: JsonObject, doc: Doc, state: State, frame: Frame): TypeNode {
  const prefix = Array.isArray(schema.prefixItems)
    ? schema.prefixItems
    : Array.isArray(schema.items)
      ? schema.items
      : null;
  if (prefix) {
    const restSchema = Array.isArray(schema.prefixItems) ? schema.items : schema.additionalItems;
    const rest = restSchema === false ? null : lower(restSchema, doc, state, frame);
    return { kind: "tuple", items: prefix.map((item) => lower(item, doc, state, frame)), rest };
  }
  return { kind: "array", items: lower(schema.items, doc, state, frame) };
}

export interface LoweredTool {
  input: NamedType;
  output: NamedType;
  /** `$ref` targets of both documents, in the order first met. */
  named: NamedType[];
  hasOutputSchema: boolean;
}

/** Lowers a tool's input and output schemas; `alloc` must already hold `<pascal>Input` / `<pascal>Output`. */
export function lowerTool(tool: ToolInfo, pascal: string, alloc: TypeNameAllocator): LoweredTool {
  const state: State = { alloc, named: [], toolPascal: pascal, pending: [] };
  const input = lowerDocument(tool.inputSchema, alloc.claim(`${pascal}Input`), state);
  if (!isObjectLike(input.node, state.named)) {
    input.node = { kind: "object", props: [], index: UNKNOWN, note: "inputSchema is not an object schema" };
  }
  const outputName = alloc.claim(`${pascal}Output`);
  const hasOutputSchema = tool.outputSchema !== undefined && tool.outputSchema !== null;
  const output = hasOutputSchema
    ? lowerDocument(tool.outputSchema, outputName, state)
    : { name: outputName, node: UNKNOWN };
  return { input, output, named: state.named, hasOutputSchema };
}

function isObjectLike(node: TypeNode, named: NamedType[]): boolean {
  switch (node.kind) {
    case "object":
      return true;
    case "union":
    case "intersection":
      return node.members.every((member) => isObjectLike(member, named));
    case "ref":
      return true;
    default:
      return false;
  }
}
