/**
 * openExecution with a toolset it does not own (what skills serve does): runs use it, close() leaves its servers
 * running for the next execution, and the client that asked is on every record.
 */
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { type ExecutionRecord, openExecution } from "../../src/commands/shared/execution.js";
import { openToolset } from "../../src/commands/shared/toolset.js";
import { loadProjectConfig } from "../../src/store/config.js";

const repo = resolve(import.meta.dirname, "../..");

describe("openExecution with a given toolset", () => {
  test("uses it, leaves it open, and records the client", async () => {
    const config = await loadProjectConfig(repo);
    const toolset = await openToolset({ cwd: repo, cacheDir: config.cacheDir, keys: ["everything/get-sum"] });
    const records: ExecutionRecord[] = [];
    try {
      const code = "from servers.everything import get_sum\nresult = get_sum(a=1, b=2)\n";
      for (const client of ["first-client", "second-client"]) {
        const execution = await openExecution({
          kind: "serve",
          cwd: repo,
          config,
          toolset,
          onRun: (r) => records.push(r),
        });
        expect(execution.tools).toBe(toolset.tools);
        const run = await execution.run({ language: "python", code, client });
        expect(run.ok).toBe(true);
        const session = execution.openSession({ language: "python", client, tools: [] });
        expect((await session.execute("21 * 2\n")).result).toBe(42);
        await session.close();
        // the servers outlive the execution: the next one calls them again
        await execution.close();
      }
      expect(records.map((record) => [record.kind, record.client, record.result.ok])).toEqual([
        ["serve", "first-client", true],
        ["serve", "first-client", true],
        ["serve", "second-client", true],
        ["serve", "second-client", true],
      ]);
      expect(records[0]!.result.toolCalls.map((call) => call.tool)).toEqual(["everything/get-sum"]);
    } finally {
      await toolset.close();
    }
  });
});
