/**
 * The run log counts the tool results a program received while the run goes on (each after it has gone to the
 * program, as the text the bridge sent it), and whatever is left when the record is written: the record's tokens_in is exactly js-tiktoken's count
 * of every result of that run, whichever way each was counted, and a result after a record belongs to the next one.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openRunLog } from "../../../src/commands/shared/runLog.js";
import type { ToolCallInterceptor } from "../../../src/contracts/run.js";
import type { RunResult } from "../../../src/contracts/run.js";
import { loadTokenCounter } from "../../../src/core/metrics/tokens.js";
import { loadProjectConfig } from "../../../src/store/config.js";

let dir: string;
const reference = new Tiktoken(o200k);
const tokensOf = (values: unknown[]) =>
  values.reduce<number>((sum, v) => sum + reference.encode(JSON.stringify(v), [], []).length, 0);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-runlog-count-"));
  await writeFile(join(dir, "skills.config.json"), "{}\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const result = (): RunResult =>
  ({
    ok: true,
    result: 1,
    logs: "",
    stderr: "",
    timedOut: false,
    killedBy: null,
    durationMs: 5,
    cpuMs: 1,
    isolation: "bwrap",
    toolCalls: [],
    warnings: [],
  }) as unknown as RunResult;

/** The run log of the project in `folder`, watching a passthrough interceptor; `recordRun(n)` writes run n's record. */
async function watchedLog(folder: string) {
  const config = await loadProjectConfig(folder, {});
  const log = openRunLog(config);
  const passthrough: ToolCallInterceptor = { beforeCall: (_s, _t, args) => args, afterCall: (_s, _t, value) => value };
  const watched = log.watch(passthrough)!;
  const recordRun = (n: number) =>
    log.record(
      {
        id: `r_${String(n).padStart(16, "0")}`,
        kind: "exec",
        client: "cli",
        language: "python",
        startedAt: Date.now(),
        result: result(),
      },
      watched,
    );
  /** tokens_in of each record written, in order. */
  const tokensIn = async () =>
    (await readFile(config.runLog.path, "utf8"))
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { tokens_in: number }).tokens_in);
  return { log, watched, recordRun, tokensIn };
}

it("counts results as they pass and the rest at the record, exactly", async () => {
  const { log, watched, recordRun, tokensIn } = await watchedLog(dir);
  const first = Array.from({ length: 60 }, (_, i) => ({
    path: `src/file_${i}.ts`,
    text: `export const value${i} = ${i * 7};\n// It's here`,
  }));
  // Before the counter is loaded: left for the record.
  watched.delivered!("fs", "read", JSON.stringify(first[0]));
  log.prepare();
  // The counter loads from the table in milliseconds (while a run's sandbox starts); the results after it are
  // counted as they pass.
  await new Promise((r) => setTimeout(r, 300));
  for (const value of first.slice(1)) {
    watched.delivered!("fs", "read", JSON.stringify(value));
    if (value.path.endsWith("0.ts")) await new Promise((r) => setImmediate(r));
  }
  await recordRun(1);
  const second = [{ more: "text for the next run, naïve unicode too" }];
  watched.delivered!("fs", "read", JSON.stringify(second[0]));
  await new Promise((r) => setImmediate(r));
  await recordRun(2);
  expect(await tokensIn()).toEqual([tokensOf(first), tokensOf(second)]);
});

it("counts a long result in slices of a few milliseconds, and the rest of it at the record, exactly", async () => {
  const own = await mkdtemp(join(tmpdir(), "skills-runlog-slices-"));
  try {
    await writeFile(join(own, "skills.config.json"), "{}\n");
    const { log, watched, recordRun, tokensIn } = await watchedLog(own);
    log.prepare();
    await new Promise((r) => setTimeout(r, 300));
    // ~1.8 MB of JSON: tens of milliseconds to count in one go, even warm.
    const big = Array.from({ length: 20_000 }, (_, i) => ({
      path: `src/dir_${i % 97}/file_${i}.ts`,
      size: i * 37,
      kind: i % 3 ? "file" : "directory",
      note: `word${i % 1013} another${i % 311}`,
    }));
    const text = JSON.stringify(big);
    const expected = (await loadTokenCounter()).count(text);

    watched.delivered!("fs", "read", JSON.stringify(big));
    // The event loop turns while the result is counted, each turn counting for a few milliseconds while some is left:
    // counted in one go, the first turn would take it all and the others none. (Counted by turns, not by time: a
    // garbage collection or a busy machine can stretch any turn.)
    const gaps: number[] = [];
    for (let turn = 0; turn < 8; turn++) {
      const before = performance.now();
      await new Promise((r) => setImmediate(r));
      gaps.push(performance.now() - before);
    }
    expect(gaps.filter((gap) => gap >= 1).length, gaps.map((gap) => gap.toFixed(1)).join(" ")).toBeGreaterThanOrEqual(
      4,
    );

    await recordRun(1);
    expect(await tokensIn()).toEqual([expected]);
  } finally {
    await rm(own, { recursive: true, force: true });
  }
});

it("counts two long results of two runs going on at once in turns, each slice resuming where it stopped", async () => {
  const own = await mkdtemp(join(tmpdir(), "skills-runlog-two-"));
  try {
    await writeFile(join(own, "skills.config.json"), "{}\n");
    const first = await watchedLog(own);
    const log = first.log;
    const second = log.watch({ beforeCall: (_s, _t, args) => args, afterCall: (_s, _t, value) => value })!;
    log.prepare();
    await new Promise((r) => setTimeout(r, 300));
    // ~2 MB of JSON each: two runs' drains take turns, each turn a slice of one of them.
    const big = (run: number) =>
      Array.from({ length: 30_000 }, (_, i) => ({
        path: `src/dir_${i % 97}/file_${i}_${run}.ts`,
        size: i * 37,
        kind: "file",
      }));
    const results = [big(1), big(2)];
    const counter = await loadTokenCounter();
    const expected = results.map((value) => counter.count(JSON.stringify(value)));
    first.watched.delivered!("fs", "read", JSON.stringify(results[0]));
    second.delivered!("fs", "read", JSON.stringify(results[1]));
    // Each slice goes on where its text stopped, with what it knew of it (whether it is all ASCII): were the text's
    // whole rest read again at every turn (the other text's slice in between), a slice would cost more than its
    // budget, and the two would take thousands of turns of 256 pieces each instead of a few dozen. Counted by turns,
    // not by time.
    let busy = 0;
    for (let quiet = 0, turns = 0; quiet < 10 && turns < 2000; turns++) {
      const before = performance.now();
      await new Promise((r) => setImmediate(r));
      if (performance.now() - before >= 0.5) {
        busy++;
        quiet = 0;
      } else quiet++;
    }
    expect(busy).toBeLessThan(150);
    await first.recordRun(1);
    await log.record(
      {
        id: `r_${"2".padStart(16, "0")}`,
        kind: "exec",
        client: "cli",
        language: "python",
        startedAt: Date.now(),
        result: result(),
      },
      second,
    );
    expect(await first.tokensIn()).toEqual(expected);
  } finally {
    await rm(own, { recursive: true, force: true });
  }
});
