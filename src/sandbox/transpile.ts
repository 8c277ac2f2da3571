/**
 * TypeScript/JavaScript to one ES module without a bundler: the esbuild executable itself, fed the program on stdin
 * (`--loader=ts`, no bundling, `--tsconfig-raw={}`), so it reads no file at all. program.ts uses it for programs
 * whose only imports are node built-ins and the generated SDK (the worker imports the SDK's own JavaScript, from
 * /sdk); everything else goes to the bundler child (bundler.ts), which resolves imports inside the skill folder.
 *
 * No node process and no esbuild JS API to start: a few milliseconds where the bundler child costs a node start
 * (~0.1-0.4 s on a loaded machine). The limits are the bundler's: the run's timeout (the process group is killed),
 * a memory cgroup or resident-memory polling at BUNDLER_MEMORY_BYTES, RLIMIT_AS through prlimit, a clean
 * environment, and at most MAX_BUNDLE_OUTPUT_BYTES of output. Any failure here is not an answer: the caller falls
 * back to the bundler child, which reports errors with file, line and column.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  BUNDLER_ADDRESS_SPACE_BYTES,
  BUNDLER_MEMORY_BYTES,
  firstLine,
  MAX_BUNDLE_OUTPUT_BYTES,
  residentBytes,
} from "./bundler.js";
import { emptyFolder } from "./cacheDir.js";
import { RunCgroup } from "./cgroup.js";
import { findExecutable } from "./isolation.js";
import { killAtTeardown } from "./teardown.js";

export type TranspileOutcome =
  | { ok: true; code: string; /** Source map (JSON) of `code`, its one source named `sourcefile`. */ map?: string }
  | { ok: false; stopped?: "timeout" | "memory"; detail: string };

let binary: string | null | undefined;

/**
 * The esbuild executable of the installed esbuild package (the platform package its JS API would run, at the same
 * version), or null when there is none to run directly (an unknown platform, a WebAssembly build).
 */
export function esbuildBinary(): string | null {
  if (binary !== undefined) return binary;
  binary = null;
  try {
    const load = createRequire(import.meta.url);
    const main = load.resolve("esbuild");
    const version = (JSON.parse(readFileSync(join(dirname(main), "..", "package.json"), "utf8")) as { version: string })
      .version;
    const fromEsbuild = createRequire(main);
    const platform = `@esbuild/${process.platform}-${process.arch}`;
    const manifest = JSON.parse(readFileSync(fromEsbuild.resolve(`${platform}/package.json`), "utf8")) as {
      version: string;
    };
    if (manifest.version === version && process.platform !== "win32") {
      binary = fromEsbuild.resolve(`${platform}/bin/esbuild`);
    }
  } catch {
    // no platform package beside esbuild: the bundler child does all the work
  }
  return binary;
}

const live = new Set<() => void>();
let teardownSet = false;

/** The program as one ES module (TS types removed, syntax for node 20), or why not. */
export function transpileDirect(
  code: string,
  options: { loader: "ts" | "js"; timeoutMs: number; /** The program's name in the source map (`main.ts`). */ sourcefile?: string },
): Promise<TranspileOutcome> {
  const esbuild = esbuildBinary();
  if (!esbuild) return Promise.resolve({ ok: false, detail: "no esbuild executable" });
  if (!teardownSet) {
    teardownSet = true;
    killAtTeardown(() => {
      for (const kill of live) kill();
    });
  }
  const args = [
    `--loader=${options.loader}`,
    "--format=esm",
    "--platform=node",
    "--target=node20",
    "--tsconfig-raw={}",
    "--log-level=error",
    "--color=false",
    // The map turns a failed run's stack back into the program's own lines, as the bundler's does.
    "--sourcemap=inline",
    ...(options.sourcefile ? [`--sourcefile=${options.sourcefile}`] : []),
  ];
  const prlimit = findExecutable("prlimit");
  const argv = prlimit
    ? [prlimit, `--as=${BUNDLER_ADDRESS_SPACE_BYTES}`, "--core=0", "--", esbuild, ...args]
    : [esbuild, ...args];
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      // Its own process group (a kill reaches all of it), a clean environment, a folder with nothing in it.
      detached: true,
      cwd: emptyFolder(),
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const cgroup = RunCgroup.create("bundler");
    cgroup?.setLimits(BUNDLER_MEMORY_BYTES, 64);
    if (child.pid !== undefined) void cgroup?.add(child.pid);
    let stopped: "timeout" | "memory" | undefined;
    let overOutput = false;
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = "";
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
      cgroup?.killAll();
    };
    live.add(kill);
    const timer = setTimeout(() => {
      stopped = "timeout";
      kill();
    }, options.timeoutMs);
    const poll = cgroup
      ? undefined
      : setInterval(() => {
          if (child.pid !== undefined && residentBytes(child.pid) > BUNDLER_MEMORY_BYTES) {
            stopped = "memory";
            kill();
          }
        }, 50);
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_BUNDLE_OUTPUT_BYTES) {
        overOutput = true;
        kill();
      } else out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8").slice(0, 4096 - stderr.length);
    });
    // A program esbuild stops reading (it failed early) must not crash the host with EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(code);
    const finish = (outcome: TranspileOutcome) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      live.delete(kill);
      void cgroup?.remove();
      resolve(outcome);
    };
    child.once("error", (error) => finish({ ok: false, detail: error.message }));
    child.once("close", (status, signal) => {
      const oom = cgroup?.oomKilled() ?? false;
      if (stopped === "timeout") finish({ ok: false, stopped: "timeout", detail: "" });
      else if (stopped === "memory" || oom) finish({ ok: false, stopped: "memory", detail: firstLine(stderr) });
      else if (overOutput) finish({ ok: false, detail: "the output is over the limit" });
      else if (status === 0 && signal === null) finish(withMap(Buffer.concat(out).toString("utf8")));
      else finish({ ok: false, detail: firstLine(stderr) || `exit ${status ?? signal}` });
    });
  });
}

const INLINE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\n?$/;

/** esbuild's output without its inline source map comment, and the map apart (it stays on the host). */
function withMap(output: string): TranspileOutcome {
  const inline = INLINE_MAP.exec(output);
  if (!inline) return { ok: true, code: output };
  return {
    ok: true,
    code: `${output.slice(0, inline.index)}\n`,
    map: Buffer.from(inline[1]!, "base64").toString("utf8"),
  };
}
