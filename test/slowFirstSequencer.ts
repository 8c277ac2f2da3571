/**
 * The order test files start in.
 *
 * Longest first: when vitest has no timings of its own (a fresh clone, CI) it starts the largest files first, and a
 * long file that happens to be small starts last and runs alone while the other workers idle (about 13 s of a full
 * run on two cores). Here the files known to take longest start first, then the rest in vitest's order. Once vitest's
 * cache holds timings for most files (any second run on a machine), its own order (failed first, then longest first)
 * is used.
 *
 * Whatever the order, the files that leave a large heap behind in their worker run last. Files share a worker
 * (vitest.config.ts), and what one loads stays: the TypeScript compiler with its parsed lib files, js-tiktoken's rank
 * map, ajv's validators (25-100 MB each). Every process a worker spawns afterwards costs more, as the kernel copies
 * the worker's mappings at each fork: a spawn of /bin/true took 1-1.5 ms of the worker's CPU in a fresh worker and
 * 4-10 ms (12-27 ms of wall time) in one at 400-550 MB, and the workers spawn about 3,700 processes in a run (git, the
 * CLI, MCP servers, sandboxes). Measured after every file of a full run: with these files last, a spawn took 4.7 ms
 * of CPU and 14.8 ms of wall time on average (the workers' mean: 806 mappings); in vitest's order, 5.7 ms and 18.1 ms
 * (1,102 mappings).
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The files that take longest in a full run on two cores, longest first (wall seconds of such a run). */
export const SLOWEST_FILES = [
  "test/integration/compat.test.ts", // 38
  "test/integration/review.test.ts", // 37
  "test/e2e/run.test.ts", // 35
  "test/security/hostBudget.test.ts", // 33
  "test/security/privateCheckout.test.ts", // 32
  "test/integration/release.test.ts", // 30
  "test/integration/testCli.test.ts", // 26
  "test/integration/compatErrors.test.ts", // 26
  "test/e2e/quickstart.test.ts", // 25
  "test/e2e/inspector.test.ts", // 24
  "test/e2e/cli.test.ts", // 24
  "test/e2e/readmeTour.test.ts", // 23
  "test/integration/sandboxRun.test.ts", // 23
  "test/integration/newFromRun.test.ts", // 23
  "test/integration/run.test.ts", // 22
  "test/integration/init.test.ts", // 22
  "test/integration/sdkReal.test.ts", // 21
  "test/integration/mcp.test.ts", // 20
  "test/integration/runLog.test.ts", // 19
  "test/e2e/versioning.test.ts", // 19
  "test/e2e/help.test.ts", // 17
  "test/integration/serveRunLog.test.ts", // 17
  "test/security/battery.test.ts", // 15
  "test/integration/piiNotice.test.ts", // 15
  "test/integration/serveStdio.test.ts", // 15
  "test/integration/piiResultPath.test.ts", // 14
  "test/unit/codegen/generate.test.ts", // 12
  "test/integration/tools.test.ts", // 11
  "test/security/bundling.test.ts", // 11
  "test/e2e/serve.test.ts", // 11
];

/** The files after which a worker's heap stays largest (measured: live heap after a forced GC, file by file). */
export const HEAVY_FILES = [
  "test/integration/sdkReal.test.ts", // the TypeScript compiler and its lib files
  "test/integration/sdkCommand.test.ts",
  "test/unit/codegen/generate.test.ts",
  "test/unit/analysis/typecheck.test.ts",
  "test/integration/sdkHostile.test.ts",
  "test/unit/metrics/tokens.test.ts", // js-tiktoken's rank map
  "test/unit/metrics/runLogCounting.test.ts",
  "test/unit/metrics/tokenCache.test.ts",
  "test/unit/schema/quickCheck.test.ts", // ajv
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const path = (file: TestSpecification) => relative(root, file.moduleId).split("\\").join("/");
    // the key vitest files its timings under
    const key = (file: TestSpecification) => `${file.project.name}:${relative(root, file.moduleId)}`;
    const timed = files.filter((file) => this.ctx.cache.getFileTestResults(key(file)));
    const rank = (file: TestSpecification) => {
      const heavy = HEAVY_FILES.includes(path(file)) ? 1 : 0;
      if (timed.length * 2 > files.length) return heavy;
      const index = SLOWEST_FILES.indexOf(path(file));
      return heavy * 1000 + (index === -1 ? SLOWEST_FILES.length : index);
    };
    // vitest keeps each project's files together (in the order of its projects); the ranking applies within each
    // (a stable sort: vitest's own order within a rank)
    const projects = [...new Set(sorted.map((file) => file.project.name))];
    return projects.flatMap((name) =>
      sorted.filter((file) => file.project.name === name).sort((a, b) => rank(a) - rank(b)),
    );
  }
}
