/** How a path is shown to the user. POSIX only: the sandbox (bwrap) makes the toolkit Linux-only anyway. */
import { isAbsolute, relative } from "node:path/posix";

/** `path` relative to `cwd` when it lies below it, else as given (absolute paths outside cwd stay absolute). */
export function displayPath(path: string, cwd: string): string {
  if (!isAbsolute(path) || !isAbsolute(cwd)) return path;
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}
