/** Tokens back to values: in the arguments a program sends to a tool (the values never reach the program). */
import type { CountFn } from "../types.js";
import { TOKEN_RE, type TokenVault } from "./vault.js";

/** Replaces known tokens in a string with their values; unknown token-shaped text is left as is. */
export function restoreString(text: string, vault: TokenVault, count: CountFn): string | undefined {
  if (text.indexOf("[") < 0) return undefined;
  let changed = false;
  const out = text.replace(TOKEN_RE, (token) => {
    const entry = vault.lookup(token);
    if (!entry) return token;
    vault.watch(entry, "restored");
    changed = true;
    count(entry.type);
    return entry.value;
  });
  return changed ? out : undefined;
}

/** Restores tokens in every string and key of a JSON value (tool arguments). Ignore rules do not apply here. */
export function restoreJson(value: unknown, vault: TokenVault, count: CountFn): unknown {
  if (typeof value === "string") return restoreString(value, vault, count) ?? value;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = restoreJson(item, vault, count);
      if (next !== item) {
        copy ??= value.slice();
        copy[i] = next;
      }
    });
    return copy ?? value;
  }
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = restoreString(k, vault, count) ?? k;
    const next = restoreJson(v, vault, count);
    if (key !== k || next !== v) changed = true;
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return changed ? out : value;
}
