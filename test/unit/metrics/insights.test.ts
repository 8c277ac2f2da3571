/** The analyses behind `skills insights`: what they flag, and what they leave alone. */
import { describe, expect, it } from "vitest";
import type { RunRecord, SearchRecord } from "../../../src/contracts/runRecord.js";
import {
  DEFAULT_INSIGHT_OPTIONS,
  findInsights,
  type InsightSources,
} from "../../../src/core/metrics/insights/index.js";
import { jaccard, shingles } from "../../../src/core/metrics/insights/duplicates.js";
import { collapse, suggestName } from "../../../src/core/metrics/insights/sequences.js";
import { mannWhitneyP } from "../../../src/core/metrics/insights/versions.js";

let n = 0;
function run(overrides: Partial<RunRecord>): RunRecord {
  n += 1;
  return {
    v: 1,
    id: `r_${n.toString(16).padStart(16, "0")}`,
    time: new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(),
    kind: "run",
    client: "cli",
    skill: "ok-skill",
    version: "1.0.0",
    language: "python",
    isolation: "bwrap",
    start: "warm",
    "mcp.method.name": "tools/call",
    duration_ms: 100,
    startup_ms: 1,
    tool_ms: 0,
    cpu_ms: 1,
    outcome: "ok",
    tool_calls: 0,
    tools: [],
    tokens_in: 0,
    tokens_out: 0,
    result_bytes: 2,
    ...overrides,
  };
}

const many = (count: number, make: (i: number) => Partial<RunRecord>) =>
  Array.from({ length: count }, (_, i) => run(make(i)));

function sources(partial: Partial<InsightSources>): InsightSources {
  return { runs: [], searches: [], library: [], compat: [], hasCode: () => true, ...partial };
}

const kinds = (s: InsightSources) => findInsights(s, DEFAULT_INSIGHT_OPTIONS).map((i) => `${i.kind}:${i.subject}`);

describe("failing skills and tools", () => {
  it("flags a skill whose failure rate is surely above 5%, with its most common errors", () => {
    const runs = many(40, (i) =>
      i % 4 === 0
        ? { skill: "flaky", outcome: "error", "error.type": "TIMEOUT", error_message: "ran longer than N ms" }
        : { skill: "flaky" },
    );
    const [insight] = findInsights(sources({ runs }), DEFAULT_INSIGHT_OPTIONS);
    expect(insight).toMatchObject({
      kind: "failing-skill",
      subject: "flaky",
      confidence: "medium",
      command: "skills metrics --skill flaky",
      evidence: { runs: 40, failed: 10, errors: [{ type: "TIMEOUT", message: "ran longer than N ms", count: 10 }] },
    });
    expect(insight?.title).toContain("25%");
  });

  it("does not judge a skill with fewer runs than the minimum, nor one that rarely fails", () => {
    const few = many(9, () => ({ skill: "new", outcome: "error", "error.type": "X" }));
    const rare = many(200, (i) => ({ skill: "solid", outcome: i === 0 ? "error" : "ok" }));
    expect(kinds(sources({ runs: [...few, ...rare] }))).toEqual([]);
  });

  it("ranks surer, bigger failures first", () => {
    const big = many(400, (i) => ({ skill: "big", outcome: i % 5 === 0 ? "error" : "ok" }));
    const small = many(12, (i) => ({ skill: "small", outcome: i % 2 === 0 ? "error" : "ok" }));
    expect(kinds(sources({ runs: [...small, ...big] }))).toEqual(["failing-skill:big", "failing-skill:small"]);
  });

  it("flags a tool by its calls and tells refusals from tool errors", () => {
    const runs = many(20, () => ({
      tools: [
        {
          "gen_ai.tool.name": "fs/write",
          calls: 2,
          failed: 1,
          ms: 5,
          bytes_in: 1,
          bytes_out: 1,
          errors: { TOOL_ARGS_INVALID: 1 },
        },
      ],
    }));
    const [insight] = findInsights(sources({ runs }), DEFAULT_INSIGHT_OPTIONS);
    expect(insight).toMatchObject({ kind: "failing-tool", subject: "fs/write" });
    expect(insight?.recommendation).toContain("TOOL_ARGS_INVALID");
  });
});

describe("slower versions", () => {
  it("reports a version whose median is clearly higher", () => {
    const before = many(30, (i) => ({ skill: "s", version: "1.2.0", duration_ms: 100 + (i % 7) }));
    const after = many(30, (i) => ({ skill: "s", version: "1.10.0", duration_ms: 180 + (i % 7) }));
    const [insight] = findInsights(sources({ runs: [...after, ...before] }), DEFAULT_INSIGHT_OPTIONS);
    expect(insight).toMatchObject({
      kind: "slower-version",
      subject: "s",
      confidence: "high",
      evidence: { before: { version: "1.2.0", p50Ms: 103 }, after: { version: "1.10.0", p50Ms: 183 }, start: "warm" },
    });
  });

  it("says nothing for noise, for too few runs, or for a faster version", () => {
    const noisy = [
      ...many(30, (i) => ({ skill: "n", version: "1.0.0", duration_ms: 100 + ((i * 37) % 50) })),
      ...many(30, (i) => ({ skill: "n", version: "1.1.0", duration_ms: 102 + ((i * 41) % 50) })),
    ];
    const few = [
      ...many(4, () => ({ skill: "f", version: "1.0.0", duration_ms: 10 })),
      ...many(4, () => ({ skill: "f", version: "2.0.0", duration_ms: 100 })),
    ];
    const faster = [
      ...many(10, () => ({ skill: "q", version: "1.0.0", duration_ms: 100 })),
      ...many(10, () => ({ skill: "q", version: "1.0.1", duration_ms: 50 })),
    ];
    expect(kinds(sources({ runs: [...noisy, ...few, ...faster] }))).toEqual([]);
  });

  it("computes a one-sided Mann-Whitney p-value", () => {
    expect(mannWhitneyP([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12])).toBeLessThan(0.01);
    expect(mannWhitneyP([7, 8, 9, 10, 11, 12], [1, 2, 3, 4, 5, 6])).toBeGreaterThan(0.99);
    expect(mannWhitneyP([5, 5, 5], [5, 5, 5])).toBe(1);
  });
});

describe("repeated tool sequences", () => {
  const chain = ["fs/search", "fs/read", "fs/read", "mem/create"];
  it("suggests saving a chain three exec runs share, with the run to make it from", () => {
    const runs = [
      ...many(3, () => ({ kind: "exec", skill: undefined, sequence: chain, code_sha256: "a".repeat(64) })),
      run({
        kind: "exec",
        skill: undefined,
        sequence: ["fs/search", "fs/read", "mem/create"],
        code_sha256: "b".repeat(64),
      }),
    ];
    const latest = runs[3]!;
    const [insight] = findInsights(sources({ runs }), DEFAULT_INSIGHT_OPTIONS);
    expect(insight).toMatchObject({
      kind: "repeated-sequence",
      subject: "fs/search → fs/read → mem/create",
      command: `skills new search-to-create --from-run ${latest.id}`,
      evidence: { runs: 4, programs: 2 },
    });
  });

  it("needs the minimum repeats, successful exec runs and two different calls", () => {
    const runs = [
      ...many(2, () => ({ kind: "exec", skill: undefined, sequence: chain })),
      ...many(5, () => ({ kind: "exec", skill: undefined, sequence: ["a/b", "c/d"], outcome: "error" })),
      ...many(5, () => ({ kind: "exec", skill: undefined, sequence: ["a/b", "a/b"] })),
      ...many(5, () => ({ kind: "run", sequence: ["a/b", "c/d"] })),
    ];
    expect(kinds(sources({ runs })).filter((k) => k.startsWith("repeated-sequence"))).toEqual([]);
  });

  it("falls back to --tools when no run's code was kept", () => {
    const runs = many(3, () => ({ kind: "exec", skill: undefined, sequence: ["a/x", "b/y"] }));
    const [insight] = findInsights(sources({ runs, hasCode: () => false }), DEFAULT_INSIGHT_OPTIONS);
    expect(insight?.command).toBe("skills new x-to-y --tools a/x,b/y");
  });

  it("collapses repeats and makes valid names", () => {
    expect(collapse(["a", "a", "b", "a"])).toEqual(["a", "b", "a"]);
    expect(suggestName(["srv/Get_File!", "srv/get_file!"])).toBe("get-file");
    expect(suggestName(["a/Read Text", "b/write"])).toBe("read-text-to-write");
    expect(suggestName(["s/x"])).toBe("x");
    expect(suggestName([])).toBe("saved-run");
  });
});

describe("near-duplicate skills", () => {
  const code = `from servers.fs import list_dir\n\ndef run(input):\n    files = list_dir(path=input["root"])\n    big = [f for f in files if f["size"] > 1000]\n    return {"count": len(big), "files": big[:10]}\n`;
  const renamed = code.replace('"root"', '"folder"').replace("1000", "5000").replace("# x", "");
  const different = `from servers.fs import list_dir\n\ndef run(input):\n    total = 0\n    for entry in list_dir(path="."):\n        total += entry["size"]\n    return total\n`;

  it("finds two skills with the same tools and alike code", () => {
    const library = [
      { name: "big-files", tools: ["fs/list_dir"], entryPath: "skills/big-files/main.py", code },
      { name: "large-files", tools: ["fs/list_dir"], entryPath: "skills/large-files/main.py", code: renamed },
      { name: "disk-usage", tools: ["fs/list_dir"], entryPath: "skills/disk-usage/main.py", code: different },
    ];
    const found = findInsights(sources({ library }), DEFAULT_INSIGHT_OPTIONS);
    expect(found.map((i) => i.subject)).toEqual(["big-files ~ large-files"]);
    expect(found[0]).toMatchObject({
      confidence: "high",
      command: "diff -u skills/big-files/main.py skills/large-files/main.py",
      evidence: { toolSimilarity: 1, codeSimilarity: 1 },
    });
  });

  it("does not pair skills with different tools, however alike their code", () => {
    const library = [
      { name: "a", tools: ["fs/list_dir"], entryPath: "a.py", code },
      { name: "b", tools: ["web/fetch"], entryPath: "b.py", code },
    ];
    expect(kinds(sources({ library }))).toEqual([]);
  });

  it("compares code by token 4-grams", () => {
    expect(jaccard(shingles("a = 1\nb = 2"), shingles("a = 7  # note\nb = 9"))).toBe(1);
    expect(jaccard(new Set(), new Set())).toBe(1);
  });
});

describe("extension points", () => {
  it("reports failing compat checks once compat passes them in", () => {
    const found = findInsights(
      sources({
        compat: [
          { skill: "a", status: "incompatible", tool: "fs/read", detail: "path became required" },
          { skill: "b", status: "compatible" },
          { skill: "c", status: "migration-needed", tool: "fs/list" },
        ],
      }),
      DEFAULT_INSIGHT_OPTIONS,
    );
    expect(found.map((i) => `${i.kind}:${i.subject}`)).toEqual(["compat-fails:a", "compat-fails:c"]);
  });

  it("reports searches that keep finding nothing, once serve logs them", () => {
    const search = (query: string, results: number): SearchRecord => ({
      v: 1,
      id: "r_x",
      time: "2025-01-01T00:00:00Z",
      kind: "search",
      client: "agent",
      query,
      results,
    });
    const searches = [
      search("convert pdf to text", 0),
      search("Convert PDF to text", 0),
      search("convert pdf to text", 3),
      search("once only", 0),
    ];
    const found = findInsights(sources({ searches }), DEFAULT_INSIGHT_OPTIONS);
    expect(found.map((i) => i.subject)).toEqual(["convert pdf to text"]);
    expect(found[0]?.evidence).toMatchObject({ searches: 2 });
  });
});
