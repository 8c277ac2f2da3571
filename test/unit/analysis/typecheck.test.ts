/**
 * The type check against the SDK, for many skills in one pair of programs: each skill gets the errors its own SDK
 * causes, exactly as when it is checked alone, whatever the other skills of the batch hold; answers are kept in the
 * analysis cache by their inputs, and a damaged cache entry is no answer.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnalysisCache } from "../../../src/analysis/cache.js";
import { type TypecheckJob, typecheckAgainstSdk, typecheckSkills } from "../../../src/analysis/typecheck.js";
import type { ToolInfo } from "../../../src/contracts/tools.js";

const tool = (server: string, name: string, inputSchema: Record<string, unknown>, outputSchema?: object): ToolInfo => ({
  server,
  name,
  serverInfo: { name: server, version: "1.0.0" },
  inputSchema,
  ...(outputSchema ? { outputSchema: outputSchema as ToolInfo["outputSchema"] } : {}),
});
const untyped = (t: ToolInfo): ToolInfo => ({ ...t, inputSchema: { type: "object", additionalProperties: true } });

const readFile1 = tool(
  "fs",
  "read_file",
  { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  { type: "object", properties: { content: { type: "string" } }, required: ["content"] },
);
// the same tool name on the same server, with another schema: the other skill's SDK must not leak in
const readFile2 = tool("fs", "read_file", {
  type: "object",
  properties: { file: { type: "string" } },
  required: ["file"],
});
const search = tool("memory", "search_nodes", {
  type: "object",
  properties: { query: { type: "string" } },
  required: ["query"],
});

const job = (tools: ToolInfo[], sources: Record<string, string>): TypecheckJob => ({
  sources: Object.entries(sources).map(([file, source]) => ({ file, source })),
  before: tools.map(untyped),
  after: tools,
});

const jobs: TypecheckJob[] = [
  job([readFile1], {
    "main.ts": [
      'import { readFile } from "servers/fs";',
      "export async function run() {",
      '  const r = await readFile({ pth: "x" });',
      "  console.log(r.contnt);",
      "}",
    ].join("\n"),
  }),
  job([readFile2], {
    "main.ts": ['import { readFile } from "servers/fs";', 'export const run = () => readFile({ file: "x" });'].join(
      "\n",
    ),
  }),
  // a script (no import or export): its globals are everyone's in a shared program, on both sides alike
  job([search], {
    "main.ts": ["const readFile = 1;", "let total = readFile + 1;"].join("\n"),
    "lib.ts": [
      'import { searchNodes } from "servers/memory";',
      "export const find = () => searchNodes({ q: 1 });",
    ].join("\n"),
  }),
  // never names the SDK: nothing to check
  job([readFile1], { "main.ts": "export const run = (x: number) => x.toFixed(1);\n" }),
  // a syntax error and a JavaScript file (not type-checked)
  job([search], {
    "main.ts": 'import { searchNodes } from "servers/memory";\nexport const run = () => searchNodes({ query: 1 );\n',
    "helper.js": 'import { searchNodes } from "servers/memory";\nsearchNodes({ nope: 1 });\n',
  }),
];

const where = (list: { file: string; line: number; column: number; code: string }[]) =>
  list.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`);

describe("typecheckSkills", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "skills-typecheck-"));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("gives every skill of a batch exactly the errors it has when checked alone", () => {
    const batch = typecheckSkills(jobs);
    const alone = jobs.map((j) => typecheckAgainstSdk(j.sources, j.before, j.after));
    expect(batch).toEqual(alone);
    // (r.contnt is not reported: without Node's types `console` is unknown, and its arguments go unchecked)
    expect(where(batch[0]!)).toEqual(["main.ts:3:30 TS2561"]);
    expect(batch[0]![0]!.message).toMatch(
      /'pth' does not exist in type 'ReadFileInput'. Did you mean to write 'path'\?/,
    );
    expect(batch[1]).toEqual([]);
    expect(where(batch[2]!)).toEqual(["lib.ts:2:41 TS2353"]);
    expect(batch[3]).toEqual([]);
    // the syntax error is in both programs, so it is not the SDK's; the argument's type is
    expect(where(batch[4]!)).toEqual(["main.ts:2:40 TS2322"]);
  });

  it("keeps the answers in the analysis cache, and ignores a damaged entry", async () => {
    const dir = join(work, "cache");
    const first = await AnalysisCache.open(dir);
    const answers = typecheckSkills(jobs, first);
    await first.save();
    const stored = JSON.parse(await readFile(join(dir, "analysis.json"), "utf8")) as {
      entries: Record<string, unknown>;
    };
    // four skills name the SDK: four answers
    expect(Object.keys(stored.entries)).toHaveLength(4);
    // an answer only the cache can give shows it was used
    const [key, value] = Object.entries(stored.entries).find(([, v]) => JSON.stringify(v).includes("'pth'"))!;
    (value as { message: string }[])[0]!.message = "from the cache";
    await writeFile(join(dir, "analysis.json"), JSON.stringify(stored));
    const again = typecheckSkills(jobs, await AnalysisCache.open(dir));
    expect(again[0]![0]!.message).toBe("from the cache");
    // a damaged entry is checked again
    stored.entries[key] = [{ file: 3 }];
    await writeFile(join(dir, "analysis.json"), JSON.stringify(stored));
    expect(typecheckSkills(jobs, await AnalysisCache.open(dir))).toEqual(answers);
  });

  it("checks a skill again when its code changes", async () => {
    const cache = await AnalysisCache.open(undefined);
    expect(where(typecheckSkills([jobs[1]!], cache)[0]!)).toEqual([]);
    const changed = job([readFile2], {
      "main.ts": ['import { readFile } from "servers/fs";', 'export const run = () => readFile({ path: "x" });'].join(
        "\n",
      ),
    });
    expect(where(typecheckSkills([changed], cache)[0]!)).toEqual(["main.ts:2:37 TS2353"]);
  });
});
