/**
 * The order test files start in when vitest has no timings of its own (a fresh clone, CI): without them it starts the
 * largest files first, and a long file that happens to be small starts last and runs alone while the other workers
 * idle (about 13 s of a full run on two cores). Here the files known to take longest start first, then the rest in
 * vitest's order. Once vitest's cache holds timings for most files (any second run on a machine), its own order
 * (failed first, then longest first) is used as it is.
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

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    // the key vitest files its timings under
    const key = (file: TestSpecification) => `${file.project.name}:${relative(root, file.moduleId)}`;
    const timed = files.filter((file) => this.ctx.cache.getFileTestResults(key(file)));
    if (timed.length * 2 > files.length) return sorted;
    const rank = (file: TestSpecification) => {
      const index = SLOWEST_FILES.indexOf(relative(root, file.moduleId).split("\\").join("/"));
      return index === -1 ? SLOWEST_FILES.length : index;
    };
    // vitest keeps each project's files together (in the order of its projects); the ranking applies within each.
    const projects = [...new Set(sorted.map((file) => file.project.name))];
    return projects.flatMap((name) =>
      sorted.filter((file) => file.project.name === name).sort((a, b) => rank(a) - rank(b)),
    );
  }
}
