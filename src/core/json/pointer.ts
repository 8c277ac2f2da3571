/** JSON pointers (RFC 6901): the address every Problem carries into its document. */

/** Escapes one reference token: `~` -> `~0`, `/` -> `~1`. */
export function escapePointerToken(token: string | number): string {
  const text = String(token);
  // Most keys hold neither character: skip the two regex passes for them.
  return text.includes("~") || text.includes("/") ? text.replace(/~/g, "~0").replace(/\//g, "~1") : text;
}

export function unescapePointerToken(token: string): string {
  return token.includes("~") ? token.replace(/~1/g, "/").replace(/~0/g, "~") : token;
}

export function joinPointer(base: string, ...tokens: (string | number)[]): string {
  let out = base;
  for (const token of tokens) out += `/${escapePointerToken(token)}`;
  return out;
}

/** The unescaped tokens of a pointer ("" -> []). */
export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map(unescapePointerToken);
}

/** The JSON pointer in a URI fragment (`#/$defs/a%20b` -> `/$defs/a b`); a malformed escape stays as written. */
export function decodeFragment(ref: string): string {
  const fragment = ref.startsWith("#") ? ref.slice(1) : ref;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

export type PointerLookup = { found: true; value: unknown } | { found: false; missing: string };

/** The value a pointer names inside `root` (arrays by index), or the first token that is not there. */
export function valueAtPointer(root: unknown, pointer: string): PointerLookup {
  let current = root;
  for (const token of splitPointer(pointer)) {
    if (Array.isArray(current) && /^(?:0|[1-9][0-9]*)$/.test(token) && Number(token) < current.length) {
      current = current[Number(token)];
    } else if (
      current !== null &&
      typeof current === "object" &&
      !Array.isArray(current) &&
      Object.hasOwn(current, token)
    ) {
      current = (current as Record<string, unknown>)[token];
    } else return { found: false, missing: token };
  }
  return { found: true, value: current };
}
