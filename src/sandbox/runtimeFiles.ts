/** Where the in-sandbox runtime and worker files live (runtime/ at the package root, next to src/ and dist/). */
import { readFileSync } from "node:fs";
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
