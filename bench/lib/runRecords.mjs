// Deterministic run-log records for the metrics bench and the report tests: a few skills over several days, one that
// fails often, one that got slower in its new version, exec runs that repeat the same tool chain, warm and cold runs.
// Same seed, same records (the HTML snapshot test depends on it).

const SKILLS = [
  {
    name: "summarize-directory",
    versions: ["1.0.0", "1.1.0"],
    language: "python",
    tools: ["filesystem/list_directory", "filesystem/get_file_info"],
    fail: 0.02,
    ms: [120, 130],
  },
  {
    name: "import-contacts",
    versions: ["0.3.0"],
    language: "python",
    tools: ["memory/read_graph", "filesystem/write_file", "memory/create_entities"],
    fail: 0.3,
    ms: [260],
  },
  {
    name: "find-large-files",
    versions: ["1.4.0", "1.5.0"],
    language: "typescript",
    tools: ["filesystem/list_directory_with_sizes"],
    fail: 0.04,
    ms: [90, 240],
  },
  {
    name: "weekly-report",
    versions: ["2.0.0"],
    language: "python",
    tools: ["memory/search_nodes", "everything/get-sum"],
    fail: 0.08,
    ms: [400],
  },
];
const EXEC_CHAINS = [
  ["filesystem/search_files", "filesystem/read_text_file", "memory/create_entities"],
  ["everything/get-sum"],
  ["memory/search_nodes", "memory/open_nodes"],
];
const ERRORS = [
  ["TOOL_CALL_FAILED", "memory/create_entities: Entity with name <path> already exists"],
  ["PROGRAM_ERROR", "KeyError: '…'"],
  ["TIMEOUT", "the program ran longer than N ms and was killed (timeout_ms)"],
];

function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (random, n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");

/** `count` records ending at `end` (ms), spread over `days` days. */
export function syntheticRecords(count, { seed = 7, end = Date.UTC(2025, 0, 31, 18), days = 7 } = {}) {
  const random = rng(seed);
  const span = days * 86_400_000;
  const records = [];
  for (let i = 0; i < count; i++) {
    const time = new Date(end - span + Math.floor((i / count) * span) + Math.floor(random() * 1000)).toISOString();
    const late = i / count > 0.5;
    const isExec = random() < 0.25;
    const warm = random() < 0.6;
    let record;
    if (isExec) {
      const chain = EXEC_CHAINS[Math.floor(random() * EXEC_CHAINS.length)];
      const sha = `${chain.length}${"0".repeat(62)}${EXEC_CHAINS.indexOf(chain)}`;
      record = base(time, "exec", random, warm, "python", 60 + random() * 80, chain, 0.05);
      record.code_sha256 = sha;
      record.sequence = chain;
    } else {
      const skill = SKILLS[Math.floor(random() * SKILLS.length)];
      const versionIndex = skill.versions.length > 1 && late ? 1 : 0;
      const ms = skill.ms[Math.min(versionIndex, skill.ms.length - 1)] * (0.7 + random() * 0.8);
      record = base(
        time,
        random() < 0.3 ? "test" : "run",
        random,
        warm,
        skill.language,
        ms,
        skill.tools,
        skill.fail,
      );
      record.skill = skill.name;
      record.version = skill.versions[versionIndex];
      if (record.kind === "test") record.case = "basic";
      if (skill.name === "import-contacts") record.pii = { email: 3, phone: 3 };
    }
    records.push(order(record));
  }
  return records;
}

function base(time, kind, random, warm, language, ms, tools, failRate) {
  const failed = random() < failRate;
  const toolRecords = tools.map((tool, index) => {
    const calls = 1 + Math.floor(random() * 3);
    const toolFailed = failed && index === tools.length - 1 ? 1 : 0;
    return {
      "gen_ai.tool.name": tool,
      calls,
      failed: toolFailed,
      ms: Math.round(calls * (5 + random() * 40) * 100) / 100,
      bytes_in: 40 + Math.floor(random() * 200),
      bytes_out: 500 + Math.floor(random() * 20_000),
      ...(toolFailed ? { errors: { TOOL_ERROR: 1 } } : {}),
    };
  });
  const error = failed ? ERRORS[Math.floor(random() * ERRORS.length)] : undefined;
  const tokensIn = toolRecords.reduce((sum, t) => sum + Math.round(t.bytes_out / 3.6), 0);
  return {
    v: 1,
    id: `r_${hex(random, 16)}`,
    time,
    kind,
    client: "cli",
    language,
    isolation: "bwrap",
    start: warm ? "warm" : "cold",
    "mcp.method.name": "tools/call",
    duration_ms: Math.round(ms * 100) / 100,
    startup_ms: Math.round((warm ? 1 + random() * 2 : 60 + random() * 90) * 100) / 100,
    tool_ms: Math.round(toolRecords.reduce((sum, t) => sum + t.ms, 0) * 100) / 100,
    cpu_ms: Math.round(ms * 0.4 * 100) / 100,
    memory_peak_bytes: 8_000_000 + Math.floor(random() * 30_000_000),
    outcome: failed ? "error" : "ok",
    ...(error ? { "error.type": error[0], error_message: error[1] } : {}),
    tool_calls: toolRecords.reduce((sum, t) => sum + t.calls, 0),
    tools: toolRecords,
    tokens_in: tokensIn,
    tokens_out: failed ? 0 : 20 + Math.floor(random() * 200),
    result_bytes: failed ? 0 : 80 + Math.floor(random() * 700),
  };
}

// Field order as the run log writes it (records start with {"v":1,).
function order(record) {
  const { v, id, time, kind, client, skill, version, case: testCase, code_sha256, ...rest } = record;
  return {
    v,
    id,
    time,
    kind,
    client,
    ...(skill !== undefined ? { skill } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(testCase !== undefined ? { case: testCase } : {}),
    ...(code_sha256 !== undefined ? { code_sha256 } : {}),
    ...rest,
  };
}

/** As the run log writes them: one line each, characters outside ASCII as \u escapes. */
export function toJsonl(records) {
  const ascii = (record) =>
    JSON.stringify(record).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${records.map(ascii).join("\n")}\n`;
}
