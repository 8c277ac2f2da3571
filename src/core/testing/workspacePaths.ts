/**
 * Cassettes keep paths relative to the project: the project's absolute path in a recorded call (a filesystem
 * server's answers, and the arguments a program builds from them) is stored as `${workspaceFolder}`, and replaced by
 * the project's path of whoever replays it. So a cassette recorded in one checkout replays in another, and does not
 * tell who recorded it where.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the token as cassettes (and .mcp.json) write it
export const WORKSPACE_TOKEN = "${workspaceFolder}";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The root as a whole path component: `/work/main` in `/work/main/x` and `"/work/main"`, not in `/work/main2`. */
function rootPattern(root: string): RegExp {
  return new RegExp(`${escapeRegExp(root)}(?![^/\\s"'\`:;,()\\[\\]{}<>|])`, "g");
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}

/** Every occurrence of `root` in the strings of `value` becomes `${workspaceFolder}`. */
export function relativizePaths<T>(value: T, root: string): T {
  const clean = root.replace(/\/+$/, "");
  // "/" as a project root would turn every absolute path into a token: leave such values alone.
  if (clean === "") return value;
  const pattern = rootPattern(clean);
  return mapStrings(value, (text) => (text.includes(clean) ? text.replace(pattern, WORKSPACE_TOKEN) : text)) as T;
}

/** Every `${workspaceFolder}` in the strings of `value` becomes `root`. */
export function absolutizePaths<T>(value: T, root: string): T {
  const clean = root.replace(/\/+$/, "");
  return mapStrings(value, (text) =>
    text.includes(WORKSPACE_TOKEN) ? text.split(WORKSPACE_TOKEN).join(clean) : text,
  ) as T;
}
