// Summarise TODO-style markers in a folder: search_files finds candidates, read_text_file fetches them, and the
// scanning happens here in the sandbox so only the summary leaves it.
import { readTextFile, searchFiles } from "servers/filesystem";

interface Input {
  path: string;
  pattern?: string;
  tags?: string[];
  limit?: number;
}

const SOURCE = /\.(ts|tsx|js|mjs|cjs|py|rb|go|rs|java|c|h|cc|cpp|sh|md|yaml|yml|txt)$/i;
const MAX_FILES = 500;

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "content" in value) return String((value as { content: unknown }).content);
  return "";
}

export async function run(input: Input) {
  const root = input.path.replace(/\/+$/, "") || ".";
  const tags = input.tags ?? ["TODO", "FIXME", "HACK", "XXX"];
  const limit = input.limit ?? 20;
  const marker = new RegExp(`\\b(${tags.join("|")})\\b(?:\\([^)]*\\))?:?\\s*(.*)$`);

  const found = textOf(await searchFiles({ path: root, pattern: input.pattern ?? "**/*" }));
  const paths = found
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && line !== "No matches found" && SOURCE.test(line))
    .slice(0, MAX_FILES);

  // Read in parallel: the bridge carries concurrent calls.
  const texts = await Promise.all(paths.map(async (path) => ({ path, text: textOf(await readTextFile({ path })) })));

  const absoluteRoot = paths.length > 0 ? commonRoot(paths, root) : root;
  const items: { file: string; line: number; tag: string; text: string }[] = [];
  const byTag: Record<string, number> = {};
  const perFile = new Map<string, number>();
  for (const { path, text } of texts) {
    const file = path.startsWith(absoluteRoot) ? path.slice(absoluteRoot.length).replace(/^\//, "") : path;
    text.split("\n").forEach((content, index) => {
      const match = marker.exec(content);
      if (!match) return;
      const tag = match[1] as string;
      byTag[tag] = (byTag[tag] ?? 0) + 1;
      perFile.set(file, (perFile.get(file) ?? 0) + 1);
      items.push({ file, line: index + 1, tag, text: (match[2] ?? "").trim().slice(0, 200) });
    });
  }
  const byFile = [...perFile.entries()]
    .map(([file, count]) => ({ file, count }))
    .sort((a, b) => b.count - a.count || a.file.localeCompare(b.file))
    .slice(0, 10);
  return {
    path: root,
    filesScanned: paths.length,
    filesWithTodos: perFile.size,
    total: items.length,
    byTag,
    byFile,
    items: items.slice(0, limit),
  };
}

/** search_files answers absolute paths; find the absolute form of the searched folder to report relative paths. */
function commonRoot(paths: string[], root: string): string {
  const suffix = `/${root.replace(/^\.\/?/, "")}`;
  const first = paths[0] as string;
  const at = first.indexOf(`${suffix}/`);
  return at >= 0 ? first.slice(0, at + suffix.length) : first.slice(0, first.lastIndexOf("/"));
}
