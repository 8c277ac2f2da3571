/** Where the in-sandbox runtime and worker files live (runtime/ at the package root, next to src/ and dist/). */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** <package>/runtime (this file is <package>/src/sandbox/x.ts or <package>/dist/sandbox/x.js). */
export const RUNTIME_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "runtime");

let sources: { python: string; ts: string } | undefined;

/** The SDK runtime sources that codegen copies verbatim to servers/_runtime.py and servers/_runtime.ts. */
export function loadRuntimeSources(): { python: string; ts: string } {
  sources ??= {
    python: readFileSync(join(RUNTIME_DIR, "python", "_runtime.py"), "utf8"),
    ts: readFileSync(join(RUNTIME_DIR, "ts", "_runtime.ts"), "utf8"),
  };
  return sources;
}

const compiled = new Set<string>();

/**
 * Caches the bytecode of the Python worker and runtime next to them (runtime/python/__pycache__), so a worker
 * does not compile them at every start. Best-effort and once per interpreter: a read-only install just skips it.
 */
export function ensureRuntimeBytecode(python: string): void {
  if (compiled.has(python)) return;
  compiled.add(python);
  const dir = join(RUNTIME_DIR, "python");
  try {
    const cache = join(dir, "__pycache__");
    const fresh =
      existsSync(cache) &&
      ["_runtime", "_worker"].every((name) => {
        const pyc = readdirSync(cache).find((f) => f.startsWith(`${name}.`) && f.endsWith(".pyc"));
        return pyc !== undefined && statSync(join(cache, pyc)).mtimeMs >= statSync(join(dir, `${name}.py`)).mtimeMs;
      });
    if (!fresh) execFileSync(python, ["-I", "-m", "compileall", "-q", dir], { stdio: "ignore", timeout: 10_000 });
  } catch {
    // not writable or no such interpreter: workers compile in memory instead
  }
}
