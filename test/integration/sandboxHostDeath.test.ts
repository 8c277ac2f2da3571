/**
 * If the host process dies (SIGKILL, no cleanup at all), nothing of its runs survives: bwrap's --die-with-parent
 * and setpriv's --pdeathsig end the workers, with and without bwrap.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, expect, test } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const outDir = join(root, "node_modules", ".cache", `sandbox-host-death-${process.pid}`);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** A tiny host program built from src/: starts a sleeping run, prints the uids of its workers once one runs, then waits. */
async function buildHost(): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "host.mjs");
  await build({
    stdin: {
      contents: `
        import { readdirSync, readFileSync } from "node:fs";
        import { runProgram } from "./src/sandbox/index.js";
        import { workerUidBlock } from "./src/sandbox/worker.js";
        const language = process.argv[2];
        const code = language === "python" ? "import time\\ntime.sleep(300)" : "while (true) {}";
        void runProgram({ language, code, tools: [], limits: { timeoutMs: 600000, cpuMs: 600000 } });
        // Says the uid block once a process of it runs (the run's worker).
        const first = workerUidBlock();
        const uidOf = (pid) => { try { return Number(/^Uid:\\s+(\\d+)/m.exec(readFileSync(\`/proc/\${pid}/status\`, "utf8"))[1]); } catch { return -1; } };
        const running = setInterval(() => {
          const pids = readdirSync("/proc").filter((entry) => /^\\d+$/.test(entry));
          if (!pids.some((pid) => uidOf(pid) >= first && uidOf(pid) < first + 1000)) return;
          clearInterval(running);
          console.log(String(first));
        }, 20);
      `,
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: file,
    // RUNTIME_DIR is found from import.meta.url: point it at the real src/sandbox.
    define: { "import.meta.url": JSON.stringify(pathToFileURL(join(root, "src", "sandbox", "runtimeFiles.ts")).href) },
    logLevel: "silent",
  });
  return file;
}

async function livePids(first: number): Promise<string[]> {
  const { execFileSync } = await import("node:child_process");
  const out = execFileSync("ps", ["-eo", "uid=,pid=,stat=,args="], { encoding: "utf8" });
  return out.split("\n").filter((line) => {
    const [uid, , stat] = line.trim().split(/\s+/);
    return Number(uid) >= first && Number(uid) < first + 1000 && !stat?.startsWith("Z");
  });
}

test.each([
  ["python", "bwrap"],
  ["typescript", "bwrap"],
  ["python", "process"],
  ["typescript", "process"],
])("%s under %s isolation: killing the host kills its runs", async (language, isolation) => {
  const host = await buildHost();
  const env = { ...process.env, ...(isolation === "process" ? { SKILLS_FORCE_ISOLATION: "process" } : {}) };
  const child = spawn(process.execPath, [host, language], { env, stdio: ["ignore", "pipe", "inherit"] });
  const first = await new Promise<number>((resolve) =>
    child.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  expect((await livePids(first)).length).toBeGreaterThan(0);
  child.kill("SIGKILL");
  let left = await livePids(first);
  for (let i = 0; i < 60 && left.length > 0; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = await livePids(first);
  }
  expect(left).toEqual([]);
});
