import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/slowFirstSequencer.js";

/**
 * Files that look at the test process's own children (the bundler and sandbox processes it started must be gone at
 * the end): they get a process of their own, where no earlier file left a child of its own.
 */
const OWN_PROCESS = ["test/security/bundling.test.ts", "test/security/battery.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most files wait on child processes (the CLI, MCP servers, sandboxes) as much as they compute: one more worker
    // than cores keeps the cores busy (vitest's default is one fewer, a single worker on a 2-core machine).
    maxWorkers: availableParallelism() + 1,
    globalSetup: ["./test/globalSetup.ts"],
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ["default", "./test/summaryReporter.ts"],
    projects: [
      {
        extends: true,
        // Each file in a fresh process costs a fork and a fresh import of src/ and its dependencies (a third of the
        // CPU of the unit files): files share a worker and its module cache instead. Every file makes its own
        // temporary folders, servers and state, and ends them in its own hooks.
        test: { name: "shared", include: ["test/**/*.test.ts"], exclude: OWN_PROCESS, isolate: false },
      },
      { extends: true, test: { name: "own-process", include: OWN_PROCESS, isolate: true } },
    ],
  },
});
