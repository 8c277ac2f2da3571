/**
 * ${VAR} and ${VAR:-default} expansion for .mcp.json strings, as Claude Code does it. `${workspaceFolder}` (as in
 * Cursor and VS Code) is the folder that holds .mcp.json, so one file works from any folder below it.
 */

export type ExpandResult = { ok: true; value: string } | { ok: false; variable: string };

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function expandVariables(
  input: string,
  env: NodeJS.ProcessEnv,
  builtins: Record<string, string> = {},
): ExpandResult {
  let missing: string | undefined;
  const value = input.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
    // Own names and string values only: `${constructor}` or `${toString}` is no builtin and no variable (a plain
    // object's prototype, process.env's included, has functions under those names).
    const raw = Object.hasOwn(builtins, name) ? builtins[name] : env[name];
    const fromEnv = typeof raw === "string" ? raw : undefined;
    if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
    if (fallback !== undefined) return fallback;
    missing ??= name;
    return "";
  });
  return missing === undefined ? { ok: true, value } : { ok: false, variable: missing };
}

/** The environment variables `input` takes (the builtins are not), in order, once each. */
export function variablesIn(input: string, builtins: Record<string, string> = {}): string[] {
  const names = [...input.matchAll(PATTERN)].map((match) => match[1]!).filter((name) => !Object.hasOwn(builtins, name));
  return [...new Set(names)];
}

/**
 * `input` as errors may show it: only the builtins (`${workspaceFolder}`) expanded, every other `${VAR}` kept as
 * written. A variable usually holds a secret (an API key in an argument, a URL or a header), and messages reach
 * terminals, CI logs, `/healthz` and agents.
 */
export function showVariables(input: string, builtins: Record<string, string> = {}): string {
  return input.replace(PATTERN, (match, name: string) => (Object.hasOwn(builtins, name) ? builtins[name]! : match));
}
