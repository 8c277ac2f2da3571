// Discovery benchmark: BM25 index build and query time over a synthetic catalog of 1,000 tools, and the token
// cost of the real servers' full catalog against `name` and `summary` answers. Run after `npm run build`:
//   node bench/search.mjs
// Writes bench/results/latest/search.json (--save: bench/results/search.json); exits 1 on a missed target.
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { catalogAsContext, openCatalog } from "../dist/commands/tools.js";
import { renderSignatures } from "../dist/core/codegen/index.js";
import { countTokens } from "../dist/core/discovery/tokens.js";
import { viewTool } from "../dist/core/discovery/detail.js";
import { searchTools } from "../dist/core/discovery/search.js";
import { buildSearchIndex } from "../dist/core/discovery/searchIndex.js";
import { finish, writeResults } from "./lib/results.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const TOOLS = 1000;
const QUERIES = 300;

// Deterministic pseudo-random numbers, so every run measures the same catalog and queries.
let seed = 42;
const random = () => {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];

const VERBS =
  "get list create delete update read write search find move copy sync export import send fetch archive restore validate merge".split(
    " ",
  );
const NOUNS =
  "file directory issue pull_request comment user team repository branch commit message channel ticket invoice customer order product payment event calendar document page record table row column dashboard alert metric log trace span deployment cluster pod secret token key bucket object queue topic subscription".split(
    " ",
  );
const WORDS =
  "the a of for with from into all by given matching recent optional detailed summary status owner created updated between list returns each item content value name id page size limit filter sort query range date time region project workspace account label tag priority state".split(
    " ",
  );

// Made-up words so the vocabulary is as large as a real catalog's (thousands of distinct words).
const SYLLABLES = "ka ro mi te su na vo li pe da zu ho ni ba ge fo ty re lu xi".split(" ");
const madeUpWord = () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(SYLLABLES)).join("");

function syntheticTool(i) {
  const verb = pick(VERBS);
  const noun = pick(NOUNS);
  const style = i % 3;
  const name =
    style === 0
      ? `${verb}_${noun}`
      : style === 1
        ? `${verb}-${noun.replace(/_/g, "-")}`
        : `${verb}${noun.replace(/(^|_)(\w)/g, (_, __, c) => c.toUpperCase())}`;
  const words = Array.from({ length: 10 + Math.floor(random() * 25) }, () =>
    random() < 0.15 ? madeUpWord() : pick(random() < 0.3 ? NOUNS : WORDS),
  );
  const params = Array.from(
    { length: 1 + Math.floor(random() * 5) },
    () => `${pick(WORDS)}${pick(["Id", "Name", "_filter", "Limit", ""])}`,
  );
  return {
    server: `server${i % 20}`,
    serverInfo: { name: `server${i % 20}`, version: "1.0.0" },
    name: `${name}_${i}`,
    title: `${verb} ${noun}`.replace(/_/g, " "),
    description: `${verb[0].toUpperCase()}${verb.slice(1)}s ${noun.replace(/_/g, " ")}s ${words.join(" ")}.`,
    inputSchema: { type: "object", properties: Object.fromEntries(params.map((p) => [p, { type: "string" }])) },
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const tools = Array.from({ length: TOOLS }, (_, i) => syntheticTool(i));
const queries = Array.from({ length: QUERIES }, (_, i) => {
  const kind = i % 4;
  if (kind === 0) return `${pick(VERBS)} ${pick(NOUNS).replace(/_/g, " ")}`;
  if (kind === 1) return tools[Math.floor(random() * TOOLS)].name; // exact name
  if (kind === 2) return `${pick(VERBS)} ${pick(NOUNS)}`.replace(/([a-z])([a-z])/, "$2$1"); // typo
  return `${pick(WORDS)} ${pick(NOUNS).slice(0, 4)} ${pick(WORDS)}`; // partial words
});

// Warm up the JIT, then measure.
for (let i = 0; i < 5; i++) buildSearchIndex(tools);
const buildTimes = [];
let index;
for (let i = 0; i < 20; i++) {
  const start = performance.now();
  index = buildSearchIndex(tools);
  buildTimes.push(performance.now() - start);
}
for (const query of queries.slice(0, 50)) searchTools(index, query);
// Each query runs 5 times and counts with its median time, so one scheduler hiccup on a busy machine does not
// become that query's time.
const queryTimes = [];
for (const query of queries) {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    searchTools(index, query, { limit: 10 });
    runs.push(performance.now() - start);
  }
  queryTimes.push(median(runs));
}

// Token counts for the real servers of the repo's .mcp.json.
const catalog = await openCatalog({ cwd: ROOT });
const real = catalog.tools;
const answer = (detail, list) =>
  JSON.stringify(list.map((tool) => viewTool(tool, detail, detail === "full" ? renderSignatures : undefined)));
const top10 = searchTools(buildSearchIndex(real), "read a file", { limit: 10 }).map((hit) => hit.tool);
const tokens = {
  tools: real.length,
  servers: Object.keys(catalog.servers),
  fullCatalog: await countTokens(catalogAsContext(real)),
  allNames: await countTokens(answer("name", real)),
  allSummaries: await countTokens(answer("summary", real)),
  searchTop10Names: await countTokens(answer("name", top10)),
  searchTop10Summaries: await countTokens(answer("summary", top10)),
  searchTop10Full: await countTokens(answer("full", top10)),
};

const results = {
  date: new Date().toISOString(),
  node: process.version,
  // Timings on a busy machine are slower; the load average says how busy it was.
  loadAverage: loadavg().map((value) => +value.toFixed(2)),
  cpus: cpus().length,
  synthetic: {
    tools: TOOLS,
    queries: QUERIES,
    vocabulary: index.postings.size,
    indexBuildMs: {
      median: +median(buildTimes).toFixed(3),
      min: +Math.min(...buildTimes).toFixed(3),
      max: +Math.max(...buildTimes).toFixed(3),
      target: 50,
    },
    queryMs: {
      median: +median(queryTimes).toFixed(4),
      min: +Math.min(...queryTimes).toFixed(4),
      p95: +percentile(queryTimes, 95).toFixed(4),
      target: 2,
    },
  },
  tokens: { tokenizer: "o200k_base", ...tokens },
};

const row = (label, value, target = "") => console.log(`${label.padEnd(44)} ${String(value).padStart(10)} ${target}`);
console.log(`search over ${TOOLS} synthetic tools (${index.postings.size} terms), ${QUERIES} queries`);
console.log(`load average ${results.loadAverage.join(" ")} on ${results.cpus} cpus`);
const buildMet = results.synthetic.indexBuildMs.median < 50;
const queryMet = results.synthetic.queryMs.median < 2;
row("index build, median ms", results.synthetic.indexBuildMs.median, `(target < 50) ${buildMet ? "met" : "MISSED"}`);
row("index build, min ms", results.synthetic.indexBuildMs.min);
row("query, median ms", results.synthetic.queryMs.median, `(target < 2) ${queryMet ? "met" : "MISSED"}`);
row("query, p95 ms", results.synthetic.queryMs.p95);
console.log(`\ntokens (o200k_base), real servers: ${tokens.servers.join(", ")} (${tokens.tools} tools)`);
row("full catalog (tools/list definitions)", tokens.fullCatalog);
row("all tools, detail=name", tokens.allNames);
row("all tools, detail=summary", tokens.allSummaries);
row('search "read a file" top 10, name', tokens.searchTop10Names);
row('search "read a file" top 10, summary', tokens.searchTop10Summaries);
row('search "read a file" top 10, full', tokens.searchTop10Full);
const missed = [
  !buildMet && `index build ${results.synthetic.indexBuildMs.median} ms (median), target < 50 ms`,
  !queryMet && `query ${results.synthetic.queryMs.median} ms (median), target < 2 ms`,
].filter(Boolean);
writeResults("search", results, missed);
finish(missed);
