// `skills serve` benchmark, all figures measured side by side in one run. Run after `npm run build`:
//   node bench/serve.mjs [--save]   (writes bench/results/latest/serve.json; --save: bench/results/)
// 1. a trivial execute_code through MCP (the built binary over stdio, the repository's real servers, the real
//    sandbox) vs the same program through an in-process warm execution (openExecution, warm pool, servers connected):
//    median < 15 ms through MCP; p95 reported
// 2. run_skill summarize-directory through MCP vs the same run in process: < 2x
// 3. the served tool list in o200k_base tokens, for the bundled servers and for a 1,000-tool server: <= 1,500 each,
//    beside what those catalogs cost as plain tools/list; and search_tools detail full (one language) vs
//    `skills tools search --detail full` (both) vs the raw tools/list entries of the same hits
// Both sides write a run log, as they do for a user (served calls under the client's name), into a temporary one:
// a benchmark's hundreds of trivial runs do not belong in the repository's own log.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { catalogAsContext, openCatalog, toolsSearch } from "../dist/commands/tools.js";
import { openExecution } from "../dist/commands/shared/execution.js";
import { countTokens } from "../dist/core/discovery/index.js";
import { loadSkill } from "../dist/store/loadSkill.js";
import { finish, writeResults } from "./lib/results.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const SKILL_ROUNDS = Number(process.env.BENCH_SKILL_ROUNDS ?? 5);
const TARGETS = { executeMedianMs: 15, runSkillRatio: 2, toolListTokens: 1500 };
/** Runs arrive at a steady pace, as an agent's calls do: the warm pool has refilled between two (the refill, a whole
 * interpreter start, would otherwise compete for the CPUs during the measured run). Same pace in and out of process. */
const PACE_MS = 150;
const STATE = mkdtempSync(join(tmpdir(), "skills-serve-bench-state-"));
const RUN_LOG = join(STATE, "runs.jsonl");
// The in-process side reads it from this process's environment, the served one from its own.
process.env.SKILLS_RUN_LOG = RUN_LOG;
process.on("exit", () => rmSync(STATE, { recursive: true, force: true }));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value, digits = 1) => Number(value.toFixed(digits));
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const timed = async (fn) => {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
};

const TRIVIAL = { python: "result = 1 + 1", typescript: "const result = 1 + 1;" };

async function startServer(cwd) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(ROOT, "bin/skills.js"), "serve"],
    cwd,
    env: { ...getDefaultEnvironment(), SKILLS_RUN_LOG: RUN_LOG },
    stderr: "ignore",
  });
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

async function executeThroughMcp(client) {
  const rows = {};
  for (const language of ["python", "typescript"]) {
    const call = () => client.callTool({ name: "execute_code", arguments: { language, code: TRIVIAL[language] } });
    for (let i = 0; i < 3; i++) await call();
    const samples = [];
    for (let i = 0; i < ROUNDS; i++) {
      await sleep(PACE_MS);
      const { ms, value } = await timed(call);
      if (value.isError || value.structuredContent?.result !== 2)
        throw new Error(`execute_code failed: ${JSON.stringify(value)}`);
      samples.push(ms);
    }
    rows[language] = { medianMs: round(median(samples)), p95Ms: round(quantile(samples, 0.95)) };
  }
  return rows;
}

async function executeInProcess(execution) {
  const rows = {};
  for (const language of ["python", "typescript"]) {
    const run = () => execution.run({ language, code: TRIVIAL[language] });
    for (let i = 0; i < 3; i++) await run();
    const samples = [];
    for (let i = 0; i < ROUNDS; i++) {
      await sleep(PACE_MS);
      const { ms, value } = await timed(run);
      if (!value.ok || value.result !== 2) throw new Error(`in-process run failed: ${JSON.stringify(value.error)}`);
      samples.push(ms);
    }
    rows[language] = { medianMs: round(median(samples)), p95Ms: round(quantile(samples, 0.95)) };
  }
  return rows;
}

const SKILL_INPUT = { path: "src" };

async function runSkillThroughMcp(client) {
  const call = () =>
    client.callTool({ name: "run_skill", arguments: { name: "summarize-directory", input: SKILL_INPUT } });
  await call();
  const samples = [];
  for (let i = 0; i < SKILL_ROUNDS; i++) {
    await sleep(PACE_MS);
    const { ms, value } = await timed(call);
    if (value.isError) throw new Error(`run_skill failed: ${JSON.stringify(value.structuredContent ?? value.content)}`);
    samples.push(ms);
  }
  return { medianMs: round(median(samples)) };
}

async function runSkillInProcess(execution) {
  const loaded = await loadSkill(join(ROOT, "skills/summarize-directory"));
  if (!loaded.ok) throw new Error("skills/summarize-directory is invalid");
  const { manifest, dir } = loaded.value;
  const keys = Object.keys(manifest.tools);
  const tools = execution.tools.filter((tool) => keys.includes(`${tool.server}/${tool.name}`));
  const run = () =>
    execution.run({
      language: manifest.language,
      skillDir: dir,
      entryFile: manifest.entry,
      input: { ...SKILL_INPUT, top: 5, exclude: [] },
      tools,
      limits: { timeoutMs: manifest.limits.timeout_ms, maxToolCalls: manifest.limits.max_tool_calls },
      outputSchema: manifest.output,
    });
  await run();
  const samples = [];
  for (let i = 0; i < SKILL_ROUNDS; i++) {
    await sleep(PACE_MS);
    const { ms, value } = await timed(run);
    if (!value.ok) throw new Error(`in-process skill run failed: ${JSON.stringify(value.error)}`);
    samples.push(ms);
  }
  return { medianMs: round(median(samples)) };
}

async function concurrent(client) {
  const code = "import time\ntime.sleep(0.2)\nresult = 1";
  const { ms, value } = await timed(() =>
    Promise.all(
      Array.from({ length: 8 }, () =>
        client.callTool({ name: "execute_code", arguments: { language: "python", code } }),
      ),
    ),
  );
  if (value.some((answer) => answer.isError)) throw new Error("a concurrent execute_code failed");
  return { wallMs: round(ms), sequentialSleepMs: 8 * 200 };
}

/** Tokens of the served list and of the catalog behind it, for a project. */
async function tokenFigures(client, cwd) {
  const { tools } = await client.listTools();
  const catalog = await openCatalog({ cwd });
  return {
    servedTools: tools.length,
    servedListTokens: await countTokens(JSON.stringify(tools)),
    instructionsTokens: await countTokens(client.getInstructions() ?? ""),
    upstreamTools: catalog.tools.length,
    upstreamListTokens: await countTokens(catalogAsContext(catalog.tools)),
  };
}

/** One search, three ways: served (one language), the CLI's full detail (both), and the raw tools/list entries. */
async function searchFigures(client) {
  const query = "read a file";
  const limit = 5;
  const served = await client.callTool({ name: "search_tools", arguments: { query, detail: "full", limit } });
  const cli = await toolsSearch({ cwd: ROOT, query, detail: "full", limit });
  const keys = cli.results.map((hit) => hit.key);
  const catalog = await openCatalog({ cwd: ROOT });
  const raw = catalog.tools.filter((tool) => keys.includes(`${tool.server}/${tool.name}`));
  const answer = cli.results.map(({ score: _score, match: _match, ...view }) => view);
  return {
    query,
    hits: keys.length,
    servedFullTokens: await countTokens(served.content[0].text),
    cliFullBothLanguagesTokens: await countTokens(JSON.stringify(answer)),
    rawToolsListTokens: await countTokens(catalogAsContext(raw)),
  };
}

const results = { node: process.versions.node, cpus: cpus().length, rounds: ROUNDS, paceMs: PACE_MS };
const client = await startServer(ROOT);
const execution = await openExecution({
  kind: "exec",
  cwd: ROOT,
  tools: { all: true },
  pool: { python: 2, typescript: 2 },
});
try {
  // warm both sides up the same way: servers connected, catalog read, SDK tree written, pools full
  await client.callTool({ name: "search_tools", arguments: { query: "warm up" } });
  await sleep(1000);
  results.execute = { mcp: await executeThroughMcp(client), inProcess: await executeInProcess(execution) };
  results.runSkill = { mcp: await runSkillThroughMcp(client), inProcess: await runSkillInProcess(execution) };
  results.runSkill.ratio = round(results.runSkill.mcp.medianMs / results.runSkill.inProcess.medianMs, 2);
  results.concurrent = await concurrent(client);
  results.tokens = { bundled: await tokenFigures(client, ROOT) };
  results.search = await searchFigures(client);
} finally {
  await client.close();
  await execution.close();
}

// the same server in front of 1,000 tools
const many = mkdtempSync(join(tmpdir(), "skills-serve-bench-"));
try {
  writeFileSync(
    join(many, ".mcp.json"),
    JSON.stringify({
      mcpServers: { many: { command: process.execPath, args: [join(ROOT, "test/fixtures/servers/manyTools.mjs")] } },
    }),
  );
  const manyClient = await startServer(many);
  try {
    results.tokens.thousandTools = await tokenFigures(manyClient, many);
  } finally {
    await manyClient.close();
  }
} finally {
  rmSync(many, { recursive: true, force: true });
}
const logged = readFileSync(RUN_LOG, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
results.runLog = {
  served: logged.filter((record) => record.kind === "serve" && record.client === "bench").length,
  inProcess: logged.filter((record) => record.kind === "exec").length,
  searches: logged.filter((record) => record.kind === "search").length,
};
results.loadAverage = loadavg().map((value) => round(value, 2));
results.pass = {
  executePython: results.execute.mcp.python.medianMs < TARGETS.executeMedianMs,
  executeTypescript: results.execute.mcp.typescript.medianMs < TARGETS.executeMedianMs,
  runSkill: results.runSkill.ratio < TARGETS.runSkillRatio,
  tokensBundled: results.tokens.bundled.servedListTokens <= TARGETS.toolListTokens,
  tokensThousand: results.tokens.thousandTools.servedListTokens <= TARGETS.toolListTokens,
};


const ok = (flag) => (flag ? "ok" : "MISSED");
const { execute, runSkill, tokens, search } = results;
const rows = [
  [
    "execute_code python via MCP: median / p95",
    `${execute.mcp.python.medianMs} / ${execute.mcp.python.p95Ms} ms`,
    `< ${TARGETS.executeMedianMs} ms`,
    ok(results.pass.executePython),
  ],
  [
    "  in process, warm: median / p95",
    `${execute.inProcess.python.medianMs} / ${execute.inProcess.python.p95Ms} ms`,
    "",
    "",
  ],
  [
    "execute_code typescript via MCP: median / p95",
    `${execute.mcp.typescript.medianMs} / ${execute.mcp.typescript.p95Ms} ms`,
    `< ${TARGETS.executeMedianMs} ms`,
    ok(results.pass.executeTypescript),
  ],
  [
    "  in process, warm: median / p95",
    `${execute.inProcess.typescript.medianMs} / ${execute.inProcess.typescript.p95Ms} ms`,
    "",
    "",
  ],
  [
    "run_skill summarize-directory: MCP vs in process",
    `${runSkill.mcp.medianMs} vs ${runSkill.inProcess.medianMs} ms = ${runSkill.ratio}x`,
    `< ${TARGETS.runSkillRatio}x`,
    ok(results.pass.runSkill),
  ],
  ["8 execute_code at once (0.2 s sleep each)", `${results.concurrent.wallMs} ms wall`, "(info)", ""],
  [
    `served tool list, bundled servers (${tokens.bundled.upstreamTools} tools behind)`,
    `${tokens.bundled.servedListTokens} tokens vs ${tokens.bundled.upstreamListTokens} upstream`,
    `<= ${TARGETS.toolListTokens}`,
    ok(results.pass.tokensBundled),
  ],
  [
    `served tool list, ${tokens.thousandTools.upstreamTools}-tool server`,
    `${tokens.thousandTools.servedListTokens} tokens vs ${tokens.thousandTools.upstreamListTokens} upstream`,
    `<= ${TARGETS.toolListTokens}`,
    ok(results.pass.tokensThousand),
  ],
  ["  initialize instructions", `${tokens.bundled.instructionsTokens} tokens`, "(info)", ""],
  [
    "run log records written (served / in process / searches)",
    `${results.runLog.served} / ${results.runLog.inProcess} / ${results.runLog.searches}`,
    "(info)",
    "",
  ],
  [
    `search "${search.query}" full, ${search.hits} hits: served / CLI / raw`,
    `${search.servedFullTokens} / ${search.cliFullBothLanguagesTokens} / ${search.rawToolsListTokens} tokens`,
    "(info)",
    "",
  ],
];
const width = Math.max(...rows.map((row) => row[0].length));
console.log(
  `serve bench (${ROUNDS} rounds at ${PACE_MS} ms intervals, node ${process.versions.node}, ${results.cpus} CPUs, load average ${results.loadAverage.join(" ")})`,
);
for (const [name, value, target, status] of rows)
  console.log(`  ${name.padEnd(width)}  ${value.padEnd(40)} ${target.padEnd(10)} ${status}`);
const missed = rows.filter((row) => row[3] === "MISSED").map(([name, value, target]) => `${name.trim()}: ${value}, target ${target}`);
writeResults("serve", results, missed);
finish(missed);
