// Benchmark: `skills test` replaying 200 cases across 20 generated skills (15 Python, 5 TypeScript), each case with a
// cassette of 3 tool calls, through the real sandbox with the warm pool. Target: < 10 s on a 2-core machine.
// Usage: npm run build && node bench/testReplay.mjs [skills] [casesPerSkill]   -> bench/results/latest/testReplay.json
// (--save: bench/results/)
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { finish, writeResults } from "./lib/results.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = process.env.SKILLS_DIST ?? join(ROOT, "dist");
/** Positional arguments (`--save` is the results helper's). */
const ARGS = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const SKILLS = Number(ARGS[0] ?? 20);
const CASES = Number(ARGS[1] ?? 10);
const TARGET_MS = 10_000;
// Defaults are the command's own (concurrency: CPUs, at least 4; warm pool: as many workers as cases at once).
const CONCURRENCY = process.env.CONCURRENCY ? Number(process.env.CONCURRENCY) : undefined;
const WARM_POOL = process.env.WARM_POOL ? Number(process.env.WARM_POOL) : undefined;

const { runTests } = await import(join(DIST, "commands/test.js"));
const { schemaFingerprint } = await import(join(DIST, "core/testing/fingerprint.js"));
const { writeFileAtomic } = await import(join(DIST, "store/atomicWrite.js"));

const serverInfo = { name: "bench-server", version: "1.0.0" };
const lookupTool = {
  server: "bench",
  serverInfo,
  name: "lookup",
  description: "Look a key up",
  inputSchema: { type: "object", properties: { key: { type: "string" } }, required: ["key"] },
};

function cassetteFor(skill, caseIndex) {
  const calls = [0, 1, 2].map((k) => ({
    server: "bench",
    tool: "lookup",
    arguments: { key: `k${caseIndex}-${k}` },
    result: { content: [{ type: "text", text: JSON.stringify({ value: caseIndex * 10 + k }) }] },
  }));
  return {
    version: 1,
    skill,
    case: `case-${caseIndex}`,
    recordedAt: "2026-01-01T00:00:00.000Z",
    servers: { bench: serverInfo },
    tools: [{ ...lookupTool, fingerprint: schemaFingerprint(lookupTool) }],
    calls,
  };
}

async function generate(dir) {
  for (let s = 0; s < SKILLS; s++) {
    const ts = s % 4 === 3;
    const name = `bench-replay-${String(s).padStart(2, "0")}`;
    const skill = join(dir, "skills", name);
    await mkdir(join(skill, "tests"), { recursive: true });
    await mkdir(join(skill, "cassettes"), { recursive: true });
    await writeFile(
      join(skill, "SKILL.md"),
      `---\nname: ${name}\ndescription: Replay benchmark skill ${s}.\n---\n\nSums three lookups.\n`,
    );
    await writeFile(
      join(skill, "manifest.yaml"),
      [
        `name: ${name}`,
        "version: 1.0.0",
        `language: ${ts ? "typescript" : "python"}`,
        `entry: ${ts ? "main.ts" : "main.py"}`,
        "input: { type: object, properties: { i: { type: integer } }, required: [i] }",
        "tools:",
        '  bench/lookup: "^1.0.0"',
        "limits: { timeout_ms: 20000 }",
        "",
      ].join("\n"),
    );
    await writeFile(
      join(skill, ts ? "main.ts" : "main.py"),
      ts
        ? [
            'import { lookup } from "servers/bench";',
            "export async function run(input: { i: number }) {",
            "  let total = 0;",
            // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source of the generated skill
            "  for (const k of [0, 1, 2]) total += ((await lookup({ key: `k${input.i}-${k}` })) as { value: number }).value;",
            "  return { total };",
            "}",
            "",
          ].join("\n")
        : [
            "from servers.bench import lookup",
            "",
            "def run(input):",
            '    return {"total": sum(lookup(key="k%d-%d" % (input["i"], k))["value"] for k in range(3))}',
            "",
          ].join("\n"),
    );
    const cases = [];
    for (let c = 0; c < CASES; c++) {
      cases.push(
        `  - name: case-${c}`,
        `    input: { i: ${c} }`,
        `    expect: { equals: { total: ${c * 30 + 3} }, maxToolCalls: 3 }`,
      );
      await writeFileAtomic(join(skill, "cassettes", `case-${c}.json`), JSON.stringify(cassetteFor(name, c)));
    }
    await writeFile(join(skill, "tests", "cases.yaml"), `cases:\n${cases.join("\n")}\n`);
  }
}

const dir = await mkdtemp(join(tmpdir(), "skills-bench-replay-"));
await chmod(dir, 0o755);
try {
  await writeFile(join(dir, "package.json"), "{}\n");
  if (WARM_POOL !== undefined)
    await writeFile(join(dir, "skills.config.json"), JSON.stringify({ warmPool: WARM_POOL }));
  await generate(dir);
  const started = performance.now();
  const result = await runTests({ cwd: dir, paths: ["skills"], concurrency: CONCURRENCY });
  const totalMs = performance.now() - started;
  const cases = result.summary.total;
  const failed = result.skills.flatMap((s) =>
    s.cases
      .filter((c) => c.status !== "passed")
      .map((c) => `${s.name}/${c.name}: ${c.failures[0]?.message ?? c.problems[0]?.message}`),
  );
  const isolation = [...new Set(result.skills.flatMap((s) => s.cases.map((c) => c.run?.isolation)).filter(Boolean))];
  const runMs = result.skills.flatMap((s) => s.cases.map((c) => c.durationMs)).sort((a, b) => a - b);
  // The same replay with a runner that answers in-process (calls the cassette backend as the program would): what
  // `skills test` itself costs per case, apart from the sandbox.
  const instant = {
    async run(request) {
      let total = 0;
      for (const k of [0, 1, 2]) {
        const answer = await request.backend.callTool("bench", "lookup", { key: `k${request.input.i}-${k}` });
        total += JSON.parse(answer.content[0].text).value;
      }
      const toolCalls = [0, 1, 2].map(() => ({ tool: "bench/lookup", ms: 0, ok: true, bytesIn: 0, bytesOut: 0 }));
      return {
        ok: true,
        result: { total },
        logs: "",
        stderr: "",
        timedOut: false,
        killedBy: null,
        durationMs: 0,
        cpuMs: 0,
        isolation: "process",
        toolCalls,
      };
    },
    poolSize: () => ({ python: 0, typescript: 0 }),
    close: async () => {},
  };
  const hostStarted = performance.now();
  const host = await runTests({ cwd: dir, paths: ["skills"], concurrency: CONCURRENCY, runner: instant });
  const hostMs = performance.now() - hostStarted;
  const figures = {
    skills: SKILLS,
    cases,
    passed: result.summary.passed,
    failed: result.summary.failed,
    toolCallsPerCase: 3,
    totalMs: Math.round(totalMs),
    casesPerSecond: Math.round((cases / totalMs) * 1000 * 10) / 10,
    medianCaseMs: Math.round((runMs[Math.floor(runMs.length / 2)] ?? 0) * 10) / 10,
    p95CaseMs: Math.round((runMs[Math.floor(runMs.length * 0.95)] ?? 0) * 10) / 10,
    isolation,
    withoutSandbox: {
      totalMs: Math.round(hostMs),
      perCaseMs: Math.round((hostMs / host.summary.total) * 100) / 100,
      passed: host.summary.passed,
    },
    cpus: cpus().length,
    // Other work on the machine skews these figures: the 1-minute load average when the run ended.
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    concurrency: CONCURRENCY ?? "default",
    warmPool: WARM_POOL ?? "default",
    targetMs: TARGET_MS,
    pass: totalMs < TARGET_MS && result.summary.failed === 0,
    node: process.version,
    date: new Date().toISOString(),
  };
  console.log("skills test replay benchmark");
  console.log(`  skills x cases        ${SKILLS} x ${CASES} = ${cases} (3 replayed tool calls each)`);
  console.log(
    `  total                 ${figures.totalMs} ms   (target < ${TARGET_MS} ms: ${figures.pass ? "ok" : "MISSED"})`,
  );
  console.log(`  cases/s               ${figures.casesPerSecond}`);
  console.log(`  case median / p95     ${figures.medianCaseMs} ms / ${figures.p95CaseMs} ms`);
  console.log(
    `  without the sandbox   ${figures.withoutSandbox.totalMs} ms (${figures.withoutSandbox.perCaseMs} ms per case: what skills test itself costs)`,
  );
  console.log(`  machine               ${figures.cpus} CPUs, load average ${figures.loadAverage}`);
  console.log(
    `  isolation             ${isolation.join(", ")}; concurrency ${CONCURRENCY ?? "default"}, warm pool ${WARM_POOL ?? "default"}`,
  );
  if (failed.length > 0) console.log(`  FAILED (${failed.length}):\n    ${failed.slice(0, 10).join("\n    ")}`);
  const missed = figures.pass
    ? []
    : [
        `${cases} replayed cases: ${figures.totalMs} ms, target < ${TARGET_MS} ms${result.summary.failed ? `; ${result.summary.failed} failed` : ""}`,
      ];
  writeResults("testReplay", figures, missed);
  finish(missed);
} finally {
  await rm(dir, { recursive: true, force: true });
}
