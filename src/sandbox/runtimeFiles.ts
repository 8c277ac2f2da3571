/**
 * Where the in-sandbox runtime and worker files live: runtime/ at the package root (next to src/ and dist/), and the
 * copy a run binds at /runtime. The copy lives in a cache under the temp folder (`skills-runtime-<uid>/<hash>`): a
 * checkout under a private folder (0700 /root, a 0750 home) cannot be reached by the run's own uid, and a mount of
 * the checkout would show its host path in the sandbox's /proc/self/mountinfo.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fillOnce, ownedCacheDir } from "./cacheDir.js";

/** <package>/runtime (this file is <package>/src/sandbox/x.ts or <package>/dist/sandbox/x.js). */
export const RUNTIME_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "runtime");

/** The files a worker needs inside the sandbox (relative to RUNTIME_DIR); nothing else of the package is bound. */
export const SANDBOX_RUNTIME_FILES = ["python/worker.py", "python/_worker.py", "python/_runtime.py", "node/worker.mjs"];

let sources: { python: string; ts: string } | undefined;

/** The SDK runtime sources that codegen copies verbatim to servers/_runtime.py and servers/_runtime.ts. */
export function loadRuntimeSources(): { python: string; ts: string } {
  sources ??= {
    python: readFileSync(join(RUNTIME_DIR, "python", "_runtime.py"), "utf8"),
    ts: readFileSync(join(RUNTIME_DIR, "ts", "_runtime.ts"), "utf8"),
  };
  return sources;
}

let staged: string | undefined;

/** What names a staged copy: a hash of the files a worker needs (their names and contents). */
export function runtimeHash(contents = SANDBOX_RUNTIME_FILES.map((file) => [file, readFileSync(join(RUNTIME_DIR, file))] as const)): string {
  const hash = createHash("sha256");
  for (const [file, content] of contents) hash.update(file).update("\0").update(content).update("\0");
  return hash.digest("hex").slice(0, 24);
}

/**
 * The Python worker's bytecode the build compiled (scripts/build.mjs: checked-hash .pyc files, which stay valid in
 * a copy, for the default interpreter), in a folder named by the runtimeHash of the sources it was compiled from.
 * Under src/ (the tests) there is none.
 */
export const BUILT_BYTECODE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "runtime-bytecode");

/**
 * The runtime folder a run binds at /runtime (and reads from under process isolation): a copy of
 * SANDBOX_RUNTIME_FILES in the runtime cache, named by a hash of their content, readable by every uid.
 */
export function stagedRuntime(): string {
  if (staged && existsSync(staged)) return staged;
  const contents = SANDBOX_RUNTIME_FILES.map((file) => [file, readFileSync(join(RUNTIME_DIR, file))] as const);
  const hash = runtimeHash(contents);
  const root = ownedCacheDir("skills-runtime");
  staged = fillOnce(root, join(root, hash), (temp) => {
    for (const [file, content] of contents) {
      mkdirSync(dirname(join(temp, file)), { recursive: true, mode: 0o755 });
      writeFileSync(join(temp, file), content, { mode: 0o644 });
    }
    // The build's bytecode of these very sources, if it made some: the first worker need not run compileall.
    const built = join(BUILT_BYTECODE_DIR, hash);
    if (existsSync(built)) {
      mkdirSync(join(temp, "python", "__pycache__"), { mode: 0o755 });
      for (const file of readdirSync(built).filter((name) => name.endsWith(".pyc"))) {
        writeFileSync(join(temp, "python", "__pycache__", file), readFileSync(join(built, file)), { mode: 0o644 });
      }
    }
  });
  return staged;
}

const compiled = new Set<string>();
const COMPILE_TIMEOUT_MS = 10_000;

/**
 * Caches the bytecode of the Python worker and runtime next to the staged copy (python/__pycache__), so a worker
 * does not compile them at every start. Best-effort and once per interpreter: a failure just skips it. The code
 * objects are named as the sandbox sees them (/runtime/python/...), not by their cache path. It is part of a
 * worker's start, so it gets no longer than the start may take (`withinMs`), and never more than 10 s: an interpreter
 * that hangs must not hold the start past its timeout.
 */
export function ensureRuntimeBytecode(python: string, withinMs: number): void {
  if (compiled.has(python)) return;
  compiled.add(python);
  try {
    const dir = join(stagedRuntime(), "python");
    const cache = join(dir, "__pycache__");
    const fresh =
      existsSync(cache) &&
      ["_runtime", "_worker"].every((name) => {
        const pyc = readdirSync(cache).find((f) => f.startsWith(`${name}.`) && f.endsWith(".pyc"));
        return pyc !== undefined && statSync(join(cache, pyc)).mtimeMs >= statSync(join(dir, `${name}.py`)).mtimeMs;
      });
    if (!fresh) {
      execFileSync(python, ["-I", "-m", "compileall", "-q", "-d", "/runtime/python", dir], {
        stdio: "ignore",
        timeout: Math.min(COMPILE_TIMEOUT_MS, withinMs),
      });
      // compileall makes __pycache__ with the umask; the run's uid must read it.
      execFileSync("chmod", ["-R", "a+rX", cache], { stdio: "ignore" });
    }
  } catch {
    // no such interpreter, or no room: workers compile in memory instead
  }
}
