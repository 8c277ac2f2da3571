/** SandboxWorker edge cases: an interpreter that never gets ready is killed, not waited on forever. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { resolveLimits, rlimitProfile } from "../../src/sandbox/limits.js";
import { SandboxWorker } from "../../src/sandbox/worker.js";
import { diskTmpdir } from "../helpers/tmp.js";
import { settledSandboxProcesses } from "../unit/sandbox/helpers.js";

// on the disk: a sandbox runs the fake interpreter by its host path, and hides /dev/shm
const root = mkdtempSync(join(diskTmpdir(), "fake-python-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test.each(["bwrap", "process"] as const)(
  "%s: a worker that never says ready is killed after startTimeoutMs",
  async (isolation) => {
    chmodSync(root, 0o755);
    mkdirSync(join(root, "bin"), { recursive: true });
    const python = join(root, "bin", "python3");
    writeFileSync(python, "#!/bin/sh\nexec sleep 60\n", { mode: 0o755 });
    const started = Date.now();
    const worker = new SandboxWorker({
      language: "python",
      isolation,
      profile: rlimitProfile(resolveLimits()),
      python,
      startTimeoutMs: 400,
    });
    await expect(worker.ready).rejects.toMatchObject({
      code: "SANDBOX_FAILED",
      message: "the python worker did not start within 400 ms and was killed",
    });
    expect(Date.now() - started).toBeLessThan(5000);
    await worker.dispose();
    expect(await settledSandboxProcesses()).toEqual([]);
  },
);
