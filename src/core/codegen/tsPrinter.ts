/** TypeNode -> TypeScript type syntax. Multi-line (with JSDoc per property) for files, one line for signatures. */
import { jsDoc, tsCommentText, tsString } from "./escape.js";
import type { NamedType, TypeNode } from "./typeNode.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export interface TsPrintOptions {
  /** Indentation of the line the type starts on; undefined prints on one line without comments. */
  indent?: string;
}

export function tsType(node: TypeNode, options: TsPrintOptions = {}): string {
  switch (node.kind) {
    case "unknown":
      return node.note && options.indent !== undefined ? `unknown /* ${tsCommentText(node.note)} */` : "unknown";
    case "never":
      return "never";
    case "cycle":
      return options.indent !== undefined ? "unknown /* circular $ref */" : "unknown";
    case "primitive":
      return node.name === "integer" ? "number" : node.name;
    case "literal":
      return typeof node.value === "string" ? tsString(node.value) : String(node.value);
    case "array":
      return `${wrap(node.items, options)}[]`;
    case "tuple": {
      const items = node.items.map((item) => tsType(item, options));
      if (node.rest) items.push(`...${wrap(node.rest, options)}[]`);
      return `[${items.join(", ")}]`;
    }
    case "object":
      return tsObject(node, options);
    case "union":
      return node.members
        .map((member) => (member.kind === "intersection" ? `(${tsType(member, options)})` : tsType(member, options)))
        .join(" | ");
    case "intersection":
      return node.members
        .map((member) => (member.kind === "union" ? `(${tsType(member, options)})` : tsType(member, options)))
        .join(" & ");
    case "ref":
      return node.name;
  }
}

/** Wraps compound types in parentheses where `[]` would bind wrongly. */
function wrap(node: TypeNode, options: TsPrintOptions): string {
  const text = tsType(node, options);
  return node.kind === "union" || node.kind === "intersection" || text.startsWith("unknown /*") ? `(${text})` : text;
}

export function tsKey(key: string): string {
  return IDENTIFIER.test(key) ? key : tsString(key);
}

function tsObject(node: Extract<TypeNode, { kind: "object" }>, options: TsPrintOptions): string {
  if (node.props.length === 0 && node.index === null) return "Record<string, never>";
  const members: string[] = [];
  const inner = options.indent === undefined ? undefined : `${options.indent}  `;
  for (const prop of node.props) {
    const type = tsType(prop.type, { indent: inner });
    const doc = inner === undefined ? "" : jsDoc(prop.description, inner);
    members.push(`${doc}${inner ?? ""}${tsKey(prop.key)}${prop.required ? "" : "?"}: ${type};`);
  }
  if (node.index) {
    // With named properties, the index signature must admit their types too: widen it to unknown.
    const type = node.props.length > 0 ? "unknown" : tsType(node.index, { indent: inner });
    members.push(`${inner ?? ""}[key: string]: ${type};`);
  }
  if (inner === undefined) return `{ ${members.join(" ")} }`;
  return `{\n${members.join("\n")}\n${options.indent}}`;
}

/** `export interface` for plain objects, `export type` for the rest. */
export function tsDeclaration(decl: NamedType): string {
  const doc = jsDoc(decl.description);
  const node = decl.node;
  if (node.kind === "object" && (node.props.length > 0 || node.index !== null)) {
    const note = node.note ? `/* ${tsCommentText(node.note)} */\n` : "";
    return `${doc}${note}export interface ${decl.name} ${tsObject(node, { indent: "" })}\n`;
  }
  return `${doc}export type ${decl.name} = ${tsType(node, { indent: "" })};\n`;
}
