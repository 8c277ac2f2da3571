/**
 * The index beside rotated run-log files, on real files: made on the first read, used on the next, and not trusted
 * the moment its file changed (an append after rotation, a replaced file, a damaged index); indexes of files that are
 * gone are deleted; a folder where no index can be written costs nothing but speed. Every way, the columns equal the
 * ones parsed from the files.
 */
import { appendFile, mkdir, mkdtemp, readdir, rename, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { LogRecord, RunRecord } from "../../src/contracts/runRecord.js";
import { createSummariser, summarise } from "../../src/core/metrics/aggregate.js";
import { indexDir, indexPath, readLogColumns } from "../../src/store/runLog/readColumns.js";
import { syntheticRecords, toJsonl } from "../../bench/lib/runRecords.mjs";
import { PROJECT_PATHS } from "../helpers/project.js";
import { skillsSync } from "../helpers/cli.js";

const records = syntheticRecords(3000) as RunRecord[];
const temps: string[] = [];
let dir: string;
let log: string;

afterAll(async () => {
  await Promise.all(temps.map((path) => rm(path, { recursive: true, force: true })));
});

/** Records 0-999 in runs.1, 1000-1999 in runs.2 (one line there is not a record), the rest in runs.jsonl. */
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-runlog-index-"));
  temps.push(dir);
  await mkdir(join(dir, ".skills/runs"), { recursive: true });
  await writeFile(join(dir, "skills.config.json"), "{}\n");
  log = join(dir, ".skills/runs/runs.jsonl");
  await writeFile(join(dir, ".skills/runs/runs.1.jsonl"), toJsonl(records.slice(0, 1000)));
  const second = toJsonl(records.slice(1000, 2000)).split("\n");
  second.splice(10, 0, "not a record");
  await writeFile(join(dir, ".skills/runs/runs.2.jsonl"), second.join("\n"));
  await writeFile(log, toJsonl(records.slice(2000)));
});

async function summaryOf() {
  const read = await readLogColumns(log);
  const summariser = createSummariser({});
  for (const columns of read.columns) summariser.add(columns);
  return { read, summary: summariser.finish() };
}

describe("the index of rotated files", () => {
  it("is made on the first read and used on the next, with the same figures as the files", async () => {
    const first = await summaryOf();
    expect(first.read.index).toEqual({ used: 0, written: 2 });
    expect((await readdir(indexDir(log))).sort()).toEqual(["runs.1.idx", "runs.2.idx"]);
    const second = await summaryOf();
    expect(second.read.index).toEqual({ used: 2, written: 0 });
    expect(second.summary).toEqual(summarise(records));
    expect(second.summary).toEqual(first.summary);
    // The line that is not a record is counted from the index too, at its place in its file.
    expect(second.read.skipped).toEqual({
      count: 1,
      first: { file: join(dir, ".skills/runs/runs.2.jsonl"), line: 11 },
    });
    expect(second.read.records).toBe(3000);
  });

  it("is not used once its file grew: a writer finishing its line after the rotation", async () => {
    await summaryOf();
    const late: LogRecord = { ...records[0]!, id: "r_00000000000late1", skill: "late-skill" };
    await appendFile(join(dir, ".skills/runs/runs.1.jsonl"), toJsonl([late]));
    const after = await summaryOf();
    expect(after.read.index).toEqual({ used: 1, written: 1 });
    expect(after.summary.skills.map((s) => s.skill)).toContain("late-skill");
    expect(after.summary).toEqual(summarise([...records, late]));
    expect((await summaryOf()).read.index).toEqual({ used: 2, written: 0 });
  });

  it("is not used for another file under the same name, even of the same size", async () => {
    await summaryOf();
    const path = join(dir, ".skills/runs/runs.1.jsonl");
    const swapped = records.slice(0, 1000).map((r) => ({ ...r, skill: r.skill ? r.skill.replace(/./, "x") : r.skill }));
    const text = toJsonl(swapped);
    expect(text.length).toBe(toJsonl(records.slice(0, 1000)).length);
    await writeFile(`${path}.new`, text);
    await rename(`${path}.new`, path);
    const after = await summaryOf();
    expect(after.read.index.used).toBe(1);
    expect(after.summary).toEqual(summarise([...swapped, ...records.slice(1000)]));
  });

  it("is rebuilt when damaged, and deleted with its file", async () => {
    await summaryOf();
    await writeFile(indexPath(log, 2), "garbage");
    const damaged = await summaryOf();
    expect(damaged.read.index).toEqual({ used: 1, written: 1 });
    expect(damaged.summary).toEqual(summarise(records));
    await unlink(join(dir, ".skills/runs/runs.1.jsonl"));
    const pruned = await summaryOf();
    expect(await readdir(indexDir(log))).toEqual(["runs.2.idx"]);
    expect(pruned.summary).toEqual(summarise(records.slice(1000)));
  });

  it("costs only speed where it cannot be written", async () => {
    await writeFile(indexDir(log), "a file where the index folder would be");
    const read = await summaryOf();
    expect(read.read.index).toEqual({ used: 0, written: 0 });
    expect(read.summary).toEqual(summarise(records));
  });

  it("changes nothing `skills metrics` says", async () => {
    const run = () => skillsSync(["metrics", "--json"], { cwd: dir, env: PROJECT_PATHS });
    const without = run();
    expect(without.code).toBe(0);
    expect((await readdir(indexDir(log))).sort()).toEqual(["runs.1.idx", "runs.2.idx"]);
    const withIndex = run();
    expect(withIndex.stdout).toBe(without.stdout);
    expect(JSON.parse(withIndex.stdout).log).toMatchObject({ records: 3000, skipped: 1 });
  });
});
