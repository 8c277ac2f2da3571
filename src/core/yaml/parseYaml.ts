/**
 * YAML parsing that keeps positions. Syntax problems (tabs, unclosed quotes, duplicate keys, ...) are reported with
 * their own line:column; a successful parse returns the plain value and a `locate` function for later validators.
 */
import type { Document, LineCounter, YAMLError } from "yaml";
import type { Problem } from "../../contracts/problem.js";
import { type LocateTarget, locatePointer, offsetToPosition, type Position } from "./locate.js";
import { splitPointer } from "../json/index.js";
import { parseYamlSubset } from "./subset.js";
import { locateInSubset, sourceInSubset } from "./subsetLocate.js";
import { yamlPackage } from "./yamlPackage.js";

export interface ParseYamlOptions {
  /** File name put into problems. */
  file: string;
  /** Lines before the text in its file (SKILL.md frontmatter starts after the `---` line). */
  lineOffset?: number;
}

export type Locate = (pointer: string, target?: LocateTarget) => Position;

/** The source text of the value at a pointer (undefined when the pointer names nothing). */
export type SourceAt = (pointer: string) => string | undefined;

export type ParseYamlResult =
  | { ok: true; value: unknown; locate: Locate; sourceAt: SourceAt }
  | { ok: false; errors: Problem[] };

/** Aliases expand on conversion: a cap keeps "billion laughs" documents from exhausting memory. */
const MAX_ALIAS_COUNT = 100;

const CODE_FOR: Record<string, { code: string; hint: string }> = {
  TAB_AS_INDENT: { code: "YAML_TAB", hint: "YAML does not allow tabs for indentation: indent with spaces" },
  DUPLICATE_KEY: { code: "YAML_DUPLICATE_KEY", hint: "each key may appear once in a mapping: remove or rename one" },
  BLOCK_AS_IMPLICIT_KEY: {
    code: "YAML_SYNTAX",
    hint: 'a value that contains ": " must be quoted, e.g. description: "Use when: ..." (or a nested key is mis-indented)',
  },
  MULTILINE_IMPLICIT_KEY: {
    code: "YAML_SYNTAX",
    hint: "every line needs `key: value`; a value that continues on the next line must be quoted or indented more than its key",
  },
  BAD_SCALAR_START: {
    code: "YAML_SYNTAX",
    hint: "a value starting with @, ` or another reserved character must be quoted",
  },
  BAD_INDENT: { code: "YAML_SYNTAX", hint: "indent nested keys consistently, with spaces" },
};

export function parseYaml(text: string, options: ParseYamlOptions): ParseYamlResult {
  const lineOffset = options.lineOffset ?? 0;
  // Most skill files are plain YAML that a small reader takes ~100x faster, with the same value and positions; the
  // rest (and every broken file, for its errors) goes through the full parser.
  const subset = parseYamlSubset(text);
  if (subset) {
    return {
      ok: true,
      value: subset.value,
      locate: (pointer, target = "value") => locateInSubset(subset, pointer, target, lineOffset),
      sourceAt: (pointer) => sourceInSubset(subset, text, pointer),
    };
  }
  const { LineCounter: Lines, parseDocument, isScalar } = yamlPackage();
  const lineCounter = new Lines();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    // The parser often reports follow-up errors after the first real one: the first of each line is enough, and
    // once the stream is broken every later "unexpected token" is a consequence of it, not a problem of its own.
    const seen = new Set<number>();
    const errors: Problem[] = [];
    for (const error of doc.errors) {
      if (errors.length > 0 && error.code === "UNEXPECTED_TOKEN") continue;
      const problem = yamlErrorToProblem(error, doc, text, lineCounter, options.file, lineOffset);
      if (seen.has(problem.line)) continue;
      seen.add(problem.line);
      errors.push(problem);
    }
    return { ok: false, errors };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const alias = /alias[^:]*: (\S+)/.exec(message)?.[1];
    const aliasOffset = alias ? text.indexOf(`*${alias}`) : -1;
    const position = offsetToPosition(lineCounter, Math.max(0, aliasOffset), lineOffset);
    return {
      ok: false,
      errors: [
        {
          severity: "error",
          code: "YAML_SYNTAX",
          message: `cannot read the YAML: ${message}`,
          file: options.file,
          line: position.line,
          column: position.column,
          pointer: "",
          hint: "check anchors (&name) and aliases (*name): every alias needs an anchor, and aliases may not expand without bound",
        },
      ],
    };
  }
  const locate: Locate = (pointer, target = "value") => locatePointer(doc, lineCounter, pointer, target, lineOffset);
  const sourceAt: SourceAt = (pointer) => {
    const node = doc.getIn(splitPointer(pointer), true);
    return isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]).trim() : undefined;
  };
  return { ok: true, value, locate, sourceAt };
}

function yamlErrorToProblem(
  error: YAMLError,
  doc: Document,
  text: string,
  lineCounter: LineCounter,
  file: string,
  lineOffset: number,
): Problem {
  let offset = error.pos[0];
  const known = CODE_FOR[error.code];
  let code = known?.code ?? "YAML_SYNTAX";
  let hint = known?.hint ?? "fix the YAML syntax at this position";
  let message = firstLine(error.message);
  if (error.code === "MISSING_CHAR" && /quote/.test(error.message)) {
    // The parser notices a missing quote where the text ends; the user needs to see where the quote opened.
    code = "YAML_UNCLOSED_QUOTE";
    offset = openingQuoteOffset(doc, text, offset) ?? offset;
    message = `string is never closed: ${message.toLowerCase()}`;
    hint = "add the closing quote at the end of the value, or remove the opening one";
  } else if (error.code === "DUPLICATE_KEY") {
    const key = /^["']?([^"':\n]+)/.exec(text.slice(offset))?.[1]?.trim();
    if (key) message = `duplicate key "${key}": keys must be unique in a mapping`;
  } else if (/^Flow (sequence|mapping)/.test(error.message)) {
    // Reported where the parser gave up; the unclosed bracket is where the user must look.
    offset = unclosedBracketOffset(text, offset) ?? offset;
    message = `${message} (this bracket is never closed)`;
    hint = "close the list with ] or the mapping with }, or write it as indented block lines";
  } else if (error.code === "MULTIPLE_DOCS") {
    message = "the file contains more than one YAML document (a second `---`)";
    hint = "keep a single document: remove the extra `---` line";
  }
  const position = offsetToPosition(lineCounter, Math.min(offset, text.length), lineOffset);
  return { severity: "error", code, message, file, line: position.line, column: position.column, pointer: "", hint };
}

function openingQuoteOffset(doc: Document, text: string, errorOffset: number): number | undefined {
  const { visit, isScalar } = yamlPackage();
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || !node.range) return;
      if (node.type !== "QUOTE_DOUBLE" && node.type !== "QUOTE_SINGLE") return;
      const [start, , end] = node.range;
      if (start <= errorOffset && errorOffset <= end + 1) found = start;
    },
  });
  if (found !== undefined) return found;
  // Fall back to the last quote character before the error that starts a value.
  const before = text.slice(0, errorOffset);
  const match = /[:\-[,]\s*(["'])[^\n]*$/m.exec(before);
  return match ? before.lastIndexOf(match[1] ?? '"') : undefined;
}

/** The last `[` or `{` before `end` that is still open, skipping quoted strings and comments. */
function unclosedBracketOffset(text: string, end: number): number | undefined {
  const open: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < Math.min(end, text.length); i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === "#" && (i === 0 || /\s/.test(text[i - 1] ?? "")))
      i = text.indexOf("\n", i) === -1 ? end : text.indexOf("\n", i);
    else if (char === "[" || char === "{") open.push(i);
    else if (char === "]" || char === "}") open.pop();
  }
  return open.at(-1);
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
