/**
 * Identifier rules for the generated SDK. One rule for every consumer (codegen, compat static analysis, the sandbox,
 * docs), so a tool maps to the same identifier everywhere:
 *
 * 1. Split the name into words: NFKD-normalise and drop accents, split at every character that is not an ASCII
 *    letter or digit and at camelCase boundaries, lower-case. Any other character becomes its own word `u<hex>`
 *    (`日本` -> `u65e5_u672c`), so distinct unicode names stay distinct.
 * 2. No words -> `tool` (`server`, `arg`); a first word that starts with a digit gets `tool` (`server`, `arg`) in front.
 * 3. Python: words joined with `_` (snake_case). TypeScript: camelCase. Types: PascalCase.
 * 4. Collisions among siblings (same server, or all servers) are judged on the lower-cased words joined without
 *    separators, so snake, camel and Pascal forms are all distinct. A tool whose name already equals its snake_case
 *    form keeps it; the others get a numeric suffix word (`read_file_2`, `readFile2`) in code-point order of the
 *    original names, skipping suffixes that are taken.
 * 5. A result that is a keyword, a builtin, or a name the SDK uses itself (`call_tool`, `callTool`, `index`) gets a
 *    trailing `_` (`class_`, `list_`, `delete_`).
 */
import type { ToolInfo } from "../../contracts/tools.js";
import { PYTHON_KEYWORD_SET, PYTHON_RESERVED, TS_RESERVED, TYPE_RESERVED } from "./reserved.js";

export interface SdkNames {
  /** Python function name (snake_case). */
  python: string;
  /** TypeScript function name (camelCase). */
  ts: string;
  /** File name without extension, the same for `.py` and `.ts` (a valid Python module name). */
  module: string;
  /** PascalCase stem of the `<Pascal>Input` / `<Pascal>Output` types. */
  pascal: string;
}

/** Splits a name into lower-case ASCII words (rule 1). */
export function splitWords(name: string): string[] {
  const cached = wordCache.get(name);
  if (cached) return cached;
  const words = computeWords(name);
  if (wordCache.size >= 20_000) wordCache.clear();
  wordCache.set(name, words);
  return words;
}

/** splitWords is pure and hot (every type name and parameter goes through it). Callers never mutate the result. */
const wordCache = new Map<string, string[]>();

function computeWords(name: string): string[] {
  let spaced: string;
  if (/^[\x20-\x7e]*$/.test(name)) spaced = name.replace(/[^A-Za-z0-9]+/g, " ");
  else {
    spaced = "";
    for (const char of name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")) {
      if (/[A-Za-z0-9]/.test(char)) spaced += char;
      else if (/[\p{L}\p{N}]/u.test(char)) spaced += ` u${char.codePointAt(0)!.toString(16)} `;
      else spaced += " ";
    }
  }
  spaced = spaced.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");
  return spaced
    .split(" ")
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** Words for an identifier: never empty, never starting with a digit (rule 2). */
export function identifierWords(name: string, fallback: string): string[] {
  const words = splitWords(name);
  if (words.length === 0) return [fallback];
  if (/^[0-9]/.test(words[0]!)) return [fallback, ...words];
  return words;
}

export function snakeCase(words: string[]): string {
  return words.join("_");
}

export function camelCase(words: string[]): string {
  return words.map((word, index) => (index === 0 ? word : capitalize(word))).join("");
}

export function pascalCase(words: string[]): string {
  return words.map(capitalize).join("");
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function safePython(name: string): string {
  return PYTHON_RESERVED.has(name) ? `${name}_` : name;
}

export function safeTs(name: string): string {
  return TS_RESERVED.has(name) ? `${name}_` : name;
}

/**
 * Python parameter names only need to avoid hard keywords: a wrapper's body uses nothing but `_`-prefixed names,
 * which a sanitised name never is, so `type`, `id` or `input` stay as they are.
 */
export function safePythonParam(name: string): string {
  return PYTHON_KEYWORD_SET.has(name) ? `${name}_` : name;
}

/**
 * Assigns unique word lists to a set of names (rule 4). Returns a map from each distinct input name to its words.
 * Deterministic: the result does not depend on the order of `names`.
 */
export function assignUniqueWords(names: string[], fallback: string): Map<string, string[]> {
  const distinct = [...new Set(names)].sort(compareCodePoints);
  const natural = new Map(distinct.map((name) => [name, identifierWords(name, fallback)]));
  const groups = new Map<string, string[]>();
  for (const name of distinct) {
    const key = wordsKey(natural.get(name)!);
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  const taken = new Set<string>();
  const result = new Map<string, string[]>();
  // First pass: names that are alone in their group keep their natural words.
  for (const [key, members] of groups) {
    if (members.length === 1) {
      taken.add(key);
      result.set(members[0]!, natural.get(members[0]!)!);
    }
  }
  // Second pass: in a group, the name already equal to its snake_case form wins, then code-point order.
  for (const [key, members] of groups) {
    if (members.length === 1) continue;
    const words = natural.get(members[0]!)!;
    const exact = members.find((name) => name === snakeCase(words));
    const ordered = exact ? [exact, ...members.filter((name) => name !== exact)] : members;
    for (const name of ordered) {
      if (!taken.has(key)) {
        taken.add(key);
        result.set(name, words);
        continue;
      }
      for (let suffix = 2; ; suffix++) {
        const candidate = [...words, String(suffix)];
        const candidateKey = wordsKey(candidate);
        if (!taken.has(candidateKey) && !groups.has(candidateKey)) {
          taken.add(candidateKey);
          result.set(name, candidate);
          break;
        }
      }
    }
  }
  return result;
}

function wordsKey(words: string[]): string {
  return words.join("");
}

export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function namesFromWords(words: string[]): SdkNames {
  const python = safePython(snakeCase(words));
  return { python, ts: safeTs(camelCase(words)), module: python, pascal: pascalCase(words) };
}

/** Names of every tool of one server, keyed by tool name. */
export function assignToolNames(toolNames: string[]): Map<string, SdkNames> {
  const words = assignUniqueWords(toolNames, "tool");
  const result = new Map<string, SdkNames>();
  for (const [name, list] of words) result.set(name, namesFromWords(list));
  return result;
}

/**
 * The identifiers generated for `tool`, given the other tools of its server (`siblings` may include tools of other
 * servers and the tool itself; only those of the same server count).
 */
export function sdkNames(tool: ToolInfo, siblings: ToolInfo[] = []): SdkNames {
  const names = siblings.filter((other) => other.server === tool.server).map((other) => String(other.name));
  return assignToolNames([...names, String(tool.name)]).get(String(tool.name))!;
}

/** Python package / TS folder name of each server: snake_case, keywords and builtins suffixed, collisions numbered. */
export function assignServerNames(servers: string[]): Map<string, string> {
  const words = assignUniqueWords(servers, "server");
  const result = new Map<string, string>();
  for (const [name, list] of words) result.set(name, safePython(snakeCase(list)));
  return result;
}

/** Python package / TS folder name of `server` among `servers` (see assignServerNames). */
export function sdkServerName(server: string, servers: string[] = []): string {
  return assignServerNames([...servers, server]).get(server)!;
}

/** Allocates unique PascalCase type names inside one generated module. */
export class TypeNameAllocator {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.used.add(name.toLowerCase());
  }

  /** Reserves `name` exactly (used for `<Pascal>Input` / `<Pascal>Output`). */
  claim(name: string): string {
    this.used.add(name.toLowerCase());
    return name;
  }

  /** A fresh name built from `parts` (raw strings, sanitised into PascalCase words). */
  allocate(...parts: string[]): string {
    const base = parts.map((part) => pascalCase(splitWords(part))).join("") || "Type";
    const safe = /^[0-9]/.test(base) ? `T${base}` : base;
    for (let suffix = 1; ; suffix++) {
      const candidate = suffix === 1 ? safe : `${safe}${suffix}`;
      const key = candidate.toLowerCase();
      if (!this.used.has(key) && !TYPE_RESERVED.has(candidate)) {
        this.used.add(key);
        return candidate;
      }
    }
  }
}
