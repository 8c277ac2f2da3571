/**
 * The TypeScript usage analysis on a worker thread (the built toolkit: the worker is compiled JavaScript): the same
 * answer as in this thread — syntax errors with positions, SDK calls with their arguments and reads — also when the
 * thread cannot start; and `skills validate` on a batch large enough for the thread, reporting a broken file.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, skillsSync } from "../helpers/cli.js";
import { runNodeScript } from "../helpers/nodeScript.js";

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "skills-tsthread-"));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const SOURCES = [
  {
    file: "main.ts",
    unit: "0",
    source:
      'import { readTextFile } from "servers/filesystem";\n' +
      "export async function run(input: { path: string }) {\n" +
      "  const out = await readTextFile({ path: input.path, head: 3 });\n  return { size: out.content.length };\n}\n",
  },
  { file: "main.ts", unit: "1", source: "export async function run(input) {\n  return { a: [1, 2 };\n}\n" },
  { file: "util.js", unit: "1", source: "export const x: number = 1;\n" },
  { file: "lib.mts", unit: "2", source: "export const y = 1;\nexport default y\n" },
  { file: "main.ts", unit: "3", source: "const result = 1 +;\n" },
];

/** Runs `body` in a fresh node on dist/, with worker_threads' Worker replaced by `workerClass` when given. */
function inNode(body: string, workerClass?: string): unknown {
  const script = [
    'import wt from "node:worker_threads";',
    'import { syncBuiltinESMExports } from "node:module";',
    "globalThis.started = 0;",
    `const Original = wt.Worker;`,
    workerClass
      ? `wt.Worker = ${workerClass};`
      : "wt.Worker = class extends Original { constructor(...args) { globalThis.started++; super(...args); } };",
    "syncBuiltinESMExports();",
    `const { analyseTypeScriptOffThread, TypeScriptThread } = await import(${JSON.stringify(join(REPO, "dist/analysis/typescriptThread.js"))});`,
    `const { analyseTypeScript } = await import(${JSON.stringify(join(REPO, "dist/analysis/typescript.js"))});`,
    `const sources = ${JSON.stringify(SOURCES)};`,
    body,
  ].join("\n");
  return JSON.parse(runNodeScript(script, { timeout: 30_000 }));
}

describe("analyseTypeScriptOffThread", () => {
  it("answers on a worker thread exactly as in this thread", () => {
    const answer = inNode(
      "const here = analyseTypeScript(sources);\n" +
        "const there = await analyseTypeScriptOffThread(sources, 1);\n" +
        "console.log(JSON.stringify({ started: globalThis.started, same: JSON.stringify(here) === JSON.stringify(there), there }));",
    ) as { started: number; same: boolean; there: { file: string; diagnostics: unknown[]; calls: unknown[] }[] };
    expect(answer.started).toBe(1);
    expect(answer.same).toBe(true);
    // not an empty answer twice: the thread parsed, found the call and the broken files
    expect(answer.there.map((a) => [a.file, a.diagnostics.length, a.calls.length])).toEqual([
      ["main.ts", 0, 1],
      ["main.ts", 1, 0],
      ["util.js", 1, 0],
      ["lib.mts", 0, 0],
      ["main.ts", 1, 0],
    ]);
  });

  it("loads the compiler on a thread started before its batch, and answers the same", () => {
    const answer = inNode(
      "const thread = TypeScriptThread.start();\n" +
        "await new Promise((resolve) => setTimeout(resolve, 100));\n" +
        "const there = await thread.analyse(sources);\n" +
        "console.log(JSON.stringify({ started: globalThis.started, same: JSON.stringify(analyseTypeScript(sources)) === JSON.stringify(there) }));",
    );
    expect(answer).toEqual({ started: 1, same: true });
  });

  it("does not keep the process alive when a started thread gets no batch", () => {
    const started = Date.now();
    const answer = inNode("TypeScriptThread.start();\nconsole.log(JSON.stringify({ exiting: true }));");
    expect(answer).toEqual({ exiting: true });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("stays in this thread for a small batch", () => {
    const answer = inNode(
      "const there = await analyseTypeScriptOffThread(sources);\n" +
        "console.log(JSON.stringify({ started: globalThis.started, same: JSON.stringify(analyseTypeScript(sources)) === JSON.stringify(there) }));",
    );
    expect(answer).toEqual({ started: 0, same: true });
  });

  it("analyses in this thread when the worker fails to start or exits without an answer", () => {
    for (const event of ["error", "exit"]) {
      const failing = `class extends (await import("node:events")).EventEmitter { constructor() { super(); globalThis.started++; setImmediate(() => this.emit(${JSON.stringify(event)}, ${event === "error" ? 'new Error("no thread")' : "1"})); } terminate() { return Promise.resolve(0); } ref() {} unref() {} postMessage() {} }`;
      const answer = inNode(
        "const there = await analyseTypeScriptOffThread(sources, 1);\n" +
          "console.log(JSON.stringify({ started: globalThis.started, same: JSON.stringify(analyseTypeScript(sources)) === JSON.stringify(there) }));",
        failing,
      );
      expect(answer, event).toEqual({ started: 1, same: true });
    }
  });
});

describe("skills validate with enough TypeScript skills for the thread", () => {
  it("reports the broken file with its position among 40 skills", async () => {
    const project = join(work, "project");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "package.json"), "{}\n");
    for (let i = 0; i < 40; i++) {
      const name = `ts-${String(i).padStart(2, "0")}`;
      const dir = join(project, "skills", name);
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, "SKILL.md"),
        `---\nname: ${name}\ndescription: Adds numbers. Use it in tests.\n---\n\nAdds.\n`,
      );
      await writeFile(
        join(dir, "manifest.yaml"),
        `name: ${name}\nversion: 1.0.0\nlanguage: typescript\nentry: main.ts\ninput: { type: object }\noutput: { type: object }\n`,
      );
      const broken = i === 17;
      await writeFile(
        join(dir, "main.ts"),
        broken
          ? "export async function run(input: unknown) {\n  return { sum: [1, 2 };\n}\n"
          : "export async function run(input: unknown) {\n  return { sum: 3 };\n}\n",
      );
    }
    const result = skillsSync(["validate", "--json"], { cwd: project });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      summary: { skills: number; invalid: number };
      skills: {
        name: string;
        errors: { code: string; file: string; line: number; column: number; message: string }[];
      }[];
    };
    expect(report.summary).toMatchObject({ skills: 40, invalid: 1 });
    const broken = report.skills.find((skill) => skill.errors.length > 0);
    expect(broken?.name).toBe("ts-17");
    expect(broken?.errors.map((e) => [e.code, `${e.file}:${e.line}:${e.column}`, e.message])).toEqual([
      ["CODE_SYNTAX", "skills/ts-17/main.ts:2:23", "TS1005: ',' expected."],
    ]);
  });
});
