/**
 * TypeNode -> Python typing syntax (3.11, standard library only). Objects with properties become TypedDicts (class
 * syntax when every key is a plain identifier, the functional form otherwise); every reference to a named type is a
 * string forward reference, so declaration order never matters and recursion works.
 */
import { pyComment, pyDocstring, pyString } from "./escape.js";
import type { TypeNameAllocator } from "./names.js";
import { PYTHON_KEYWORD_SET } from "./reserved.js";
import type { NamedType, PropNode, TypeNode } from "./typeNode.js";

type ObjectNode = Extract<TypeNode, { kind: "object" }>;

/** Collects the declarations one module needs while its types are printed. */
export class PyModuleTypes {
  readonly classes: string[] = [];
  readonly aliases: string[] = [];
  /** Aliases whose value is a bare class name: printed last, after every class. */
  readonly lateAliases: string[] = [];
  /** TypedDicts already declared for an object node (params and fields share nodes, so they share the class). */
  private readonly byNode = new Map<TypeNode, string>();
  /** The object each allOf node merged into. */
  private readonly merged = new Map<TypeNode, ObjectNode>();
  /** Why parts of the type being printed became `Any` or were simplified; printed as comments. */
  private collected = new Set<string>();
  private readonly named = new Map<string, NamedType>();

  constructor(
    private readonly alloc: TypeNameAllocator,
    named: NamedType[],
    /** When set, inline objects print as `dict[str, Any]` instead of declaring TypedDicts (one-line signatures). */
    private readonly inlineObjects = false,
  ) {
    for (const decl of named) this.named.set(decl.name, decl);
  }

  /** The expression for `node`; `owner` and `hint` name any TypedDict it needs (`<Owner><Hint>`). */
  type(node: TypeNode, owner: string, hint: string): string {
    switch (node.kind) {
      case "unknown":
        if (node.note) this.collected.add(node.note);
        return "Any";
      case "never":
        this.collected.add("a schema that admits no value");
        return "Any";
      case "cycle":
        this.collected.add("circular $ref");
        return "Any";
      case "primitive":
        return { string: "str", number: "float", integer: "int", boolean: "bool", null: "None" }[node.name];
      case "literal":
        return this.union([node], owner, hint);
      case "array":
        return `list[${this.type(node.items, owner, `${hint}Item`)}]`;
      case "tuple": {
        const items = node.items.map((item, index) => this.type(item, owner, `${hint}Item${index + 1}`));
        if (node.rest) {
          // `tuple[str, *tuple[bool, ...]]` is Python 3.11 syntax that type checkers in use (mypy 1.0) reject: a
          // tuple with a variable rest is typed as a list of the union of its item types.
          this.collected.add("an array with fixed first items and a variable rest is typed as a list");
          const rest = this.type(node.rest, owner, `${hint}Rest`);
          const members = [...new Set([...items, rest])];
          if (members.includes("Any")) return "list[Any]";
          return `list[${members.length === 1 ? members[0] : `Union[${members.join(", ")}]`}]`;
        }
        return items.length === 0 ? "tuple[()]" : `tuple[${items.join(", ")}]`;
      }
      case "object":
        return this.object(node, owner, hint);
      case "union":
        return this.union(node.members, owner, hint);
      case "intersection":
        return this.intersection(node, owner, hint);
      case "ref":
        return pyString(node.name);
    }
  }

  private union(members: TypeNode[], owner: string, hint: string): string {
    const literals: string[] = [];
    const others: string[] = [];
    let hasNone = false;
    members.forEach((member, index) => {
      if (member.kind === "literal") {
        if (typeof member.value === "string") literals.push(pyString(member.value));
        else if (typeof member.value === "boolean") literals.push(member.value ? "True" : "False");
        else if (Number.isSafeInteger(member.value)) literals.push(String(member.value));
        else {
          this.collected.add("non-integer enum values are typed as float");
          if (!others.includes("float")) others.push("float");
        }
      } else if (member.kind === "primitive" && member.name === "null") hasNone = true;
      else {
        const text = this.type(member, owner, `${hint}Option${index + 1}`);
        if (!others.includes(text)) others.push(text);
      }
    });
    const parts = [...(literals.length > 0 ? [`Literal[${literals.join(", ")}]`] : []), ...others];
    if (parts.includes("Any")) return "Any";
    if (parts.length === 0) return "None";
    const core = parts.length === 1 ? parts[0]! : `Union[${parts.join(", ")}]`;
    return hasNone ? `Optional[${core}]` : core;
  }

  /**
   * allOf: objects merge into one TypedDict; anything else keeps its first precise member (best effort). One merge
   * per allOf node, so an allOf that refers to itself through a property finds its TypedDict instead of merging anew
   * forever.
   */
  private intersection(node: Extract<TypeNode, { kind: "intersection" }>, owner: string, hint: string): string {
    const members = node.members;
    const cached = this.merged.get(node);
    if (cached) return this.object(cached, owner, hint);
    const objects = members.map((member) => this.asObject(member, new Set()));
    if (objects.every((object) => object !== undefined)) {
      const merged = mergeObjects(objects as ObjectNode[], "all");
      this.merged.set(node, merged);
      return this.object(merged, owner, hint);
    }
    const precise = members.find((member) => member.kind !== "unknown");
    this.collected.add("allOf that Python typing cannot express: typed as its first member");
    return precise ? this.type(precise, owner, hint) : "Any";
  }

  /** The object a node stands for (through refs and allOf), if it is one. */
  asObject(node: TypeNode, seen: Set<string>): ObjectNode | undefined {
    if (node.kind === "object") return node;
    if (node.kind === "ref") {
      const decl = this.named.get(node.name);
      // A cycle, or a chain of aliases too long to be worth following: not an object we can flatten.
      if (!decl || seen.has(node.name) || seen.size > 64) return undefined;
      return this.asObject(decl.node, new Set([...seen, node.name]));
    }
    if (node.kind === "intersection") {
      const parts = node.members.map((member) => this.asObject(member, seen));
      return parts.every((part) => part !== undefined) ? mergeObjects(parts as ObjectNode[], "all") : undefined;
    }
    if (node.kind === "union") {
      const parts = node.members.map((member) => this.asObject(member, seen));
      return parts.every((part) => part !== undefined) ? mergeObjects(parts as ObjectNode[], "any") : undefined;
    }
    return undefined;
  }

  private object(node: ObjectNode, owner: string, hint: string): string {
    if (node.props.length === 0 || this.inlineObjects) {
      if (node.props.length === 0 && node.index) return `dict[str, ${this.type(node.index, owner, `${hint}Value`)}]`;
      return "dict[str, Any]";
    }
    const existing = this.byNode.get(node);
    if (existing) return pyString(existing);
    const name = this.alloc.allocate(owner, hint);
    this.byNode.set(node, name);
    this.declareTypedDict(name, node, undefined);
    return pyString(name);
  }

  /** Declares a named type: a TypedDict for objects with properties, an alias otherwise. */
  declare(decl: NamedType): void {
    const node = decl.node;
    if (node.kind === "object" && node.props.length > 0) {
      this.byNode.set(node, decl.name);
      this.declareTypedDict(decl.name, node, decl.description);
      return;
    }
    const comment = decl.description ? `# ${pyComment(decl.description)}\n` : "";
    // Annotated as TypeAlias: `X = None` (a tool whose output is null) would otherwise be a variable to mypy.
    if (node.kind === "ref") {
      this.lateAliases.push(`${comment}${decl.name}: TypeAlias = ${node.name}\n`);
      return;
    }
    const { text, notes } = this.withNotes(() => this.type(node, decl.name, ""));
    const noteLines = notes.map((note) => `# Note: ${pyComment(note)}\n`).join("");
    this.aliases.push(`${comment}${noteLines}${decl.name}: TypeAlias = ${text}\n`);
  }

  /** Runs a print and returns its text with the notes it collected (nested prints keep their own). */
  withNotes(print: () => string): { text: string; notes: string[] } {
    const saved = this.collected;
    this.collected = new Set();
    try {
      const text = print();
      return { text, notes: [...this.collected].sort() };
    } finally {
      this.collected = saved;
    }
  }

  private declareTypedDict(name: string, node: ObjectNode, description: string | undefined): void {
    const fields = node.props.map((prop) => {
      const { text, notes } = this.withNotes(() => this.fieldType(prop, name));
      return { prop, type: text, notes };
    });
    const lines: string[] = [];
    const classSyntax = node.props.every((prop) => isPlainIdentifier(prop.key));
    const extra = node.index ? "Other keys are allowed too (additionalProperties)." : undefined;
    if (classSyntax) {
      lines.push(`class ${name}(TypedDict):`);
      const doc = [description, extra].filter(Boolean).join("\n\n");
      if (doc) lines.push(pyDocstring(doc, "    "));
      for (const { prop, type, notes } of fields) {
        if (prop.description) lines.push(`    # ${pyComment(prop.description)}`);
        for (const note of notes) lines.push(`    # Note: ${pyComment(note)}`);
        lines.push(`    ${prop.key}: ${type}`);
      }
    } else {
      if (description) lines.push(`# ${pyComment(description)}`);
      if (extra) lines.push(`# ${extra}`);
      lines.push(`${name} = TypedDict(${pyString(name)}, {`);
      for (const { prop, type, notes } of fields) {
        if (prop.description) lines.push(`    # ${pyComment(prop.description)}`);
        for (const note of notes) lines.push(`    # Note: ${pyComment(note)}`);
        lines.push(`    ${pyString(prop.key)}: ${type},`);
      }
      lines.push("})");
    }
    this.classes.push(`${lines.join("\n")}\n`);
  }

  private fieldType(prop: PropNode, owner: string): string {
    const type = this.type(prop.type, owner, prop.key);
    return prop.required ? type : `NotRequired[${type}]`;
  }
}

function isPlainIdentifier(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !PYTHON_KEYWORD_SET.has(key) && !key.startsWith("__");
}

/** Merges object shapes: `all` (allOf) requires a key when any part does, `any` (a union) only when all do. */
export function mergeObjects(parts: ObjectNode[], mode: "all" | "any"): ObjectNode {
  const props = new Map<string, PropNode>();
  for (const part of parts) {
    for (const prop of part.props) {
      const seen = props.get(prop.key);
      if (!seen) props.set(prop.key, { ...prop });
      else if (mode === "all") seen.required ||= prop.required;
    }
  }
  if (mode === "any") {
    for (const prop of props.values()) {
      prop.required = parts.every((part) => part.props.some((other) => other.key === prop.key && other.required));
    }
  }
  const open = parts.some((part) => part.index !== null);
  return { kind: "object", props: [...props.values()], index: open ? { kind: "unknown" } : null };
}
