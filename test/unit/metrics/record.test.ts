/** Shaping a run into its log record: figures only, never values. */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/contracts/run.js";
import { buildRunRecord, combineRuns, jsonType, summariseTools } from "../../../src/core/metrics/record.js";
import { normaliseMessage } from "../../../src/core/metrics/normalise.js";

const SECRET = "ada.lovelace@example.com";

function run(overrides: Partial<RunResult> = {}): RunResult {
  return {
    ok: true,
    result: { owner: SECRET, files: ["/home/ada/notes.txt"] },
    logs: `printing ${SECRET}\n`,
    stderr: "",
    timedOut: false,
    killedBy: null,
    durationMs: 12.3456,
    cpuMs: 4.5,
    isolation: "bwrap",
    toolCalls: [
      { tool: "filesystem/read_text_file", ms: 3.1, ok: true, bytesIn: 30, bytesOut: 400 },
      { tool: "memory/create_entities", ms: 2, ok: false, bytesIn: 90, bytesOut: 0, error: "TOOL_ERROR" },
      { tool: "filesystem/read_text_file", ms: 1.2, ok: true, bytesIn: 31, bytesOut: 200 },
      { tool: "memory/nope", ms: 0, ok: false, bytesIn: 5, bytesOut: 0, error: "TOOL_NOT_DECLARED" },
    ],
    pii: { mode: "default", types: { email: { values: 1, tokenized: 3, restored: 1, scrubbed: 1 } }, from: {}, to: {} },
    warm: true,
    startupMs: 1.5,
    memoryPeakBytes: 1234567,
    ...overrides,
  };
}

const facts = {
  id: "r_0123456789abcdef",
  time: new Date("2025-01-31T12:00:00Z"),
  kind: "exec" as const,
  client: "cli",
  language: "python",
  codeSha256: "a".repeat(64),
  warm: true,
  startupMs: 1.5,
  tokensIn: 120,
  tokensOut: 30,
  resultBytes: 64,
  inputBytes: 17,
};

describe("buildRunRecord", () => {
  it("keeps figures, names and codes, in the log's field order", () => {
    const record = buildRunRecord(run(), facts);
    expect(record).toEqual({
      v: 1,
      id: "r_0123456789abcdef",
      time: "2025-01-31T12:00:00.000Z",
      kind: "exec",
      client: "cli",
      code_sha256: "a".repeat(64),
      language: "python",
      isolation: "bwrap",
      start: "warm",
      "mcp.method.name": "tools/call",
      duration_ms: 12.35,
      startup_ms: 1.5,
      tool_ms: 6.3,
      cpu_ms: 4.5,
      memory_peak_bytes: 1234567,
      outcome: "ok",
      tool_calls: 4,
      tools: [
        { "gen_ai.tool.name": "filesystem/read_text_file", calls: 2, failed: 0, ms: 4.3, bytes_in: 61, bytes_out: 600 },
        {
          "gen_ai.tool.name": "memory/create_entities",
          calls: 1,
          failed: 1,
          ms: 2,
          bytes_in: 90,
          bytes_out: 0,
          errors: { TOOL_ERROR: 1 },
        },
        {
          "gen_ai.tool.name": "memory/nope",
          calls: 1,
          failed: 1,
          ms: 0,
          bytes_in: 5,
          bytes_out: 0,
          errors: { TOOL_NOT_DECLARED: 1 },
        },
      ],
      sequence: ["filesystem/read_text_file", "memory/create_entities", "filesystem/read_text_file", "memory/nope"],
      tokens_in: 120,
      tokens_out: 30,
      result_bytes: 64,
      result_type: "object",
      input_bytes: 17,
      pii: { email: 4 },
    });
    expect(Object.keys(record)[0]).toBe("v");
  });

  it("never holds the result, the logs or the values in an error", () => {
    const failed = run({
      ok: false,
      result: undefined,
      error: { code: "PROGRAM_ERROR", message: `KeyError: '${SECRET}' at /home/ada/secret.txt line 42` },
    });
    const text = JSON.stringify(buildRunRecord(failed, { ...facts, kind: "run", skill: "x", version: "1.0.0" }));
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("/home/ada");
    expect(text).not.toContain("printing");
    expect(text).toContain('"error.type":"PROGRAM_ERROR"');
    expect(text).toContain(`"error_message":"KeyError: '…' at <path> line N"`);
    // A skill's run keeps no call sequence (only code that is not a skill yet does).
    expect(text).not.toContain('"sequence"');
  });

  it("replaces an error code that is not a code", () => {
    const record = buildRunRecord(
      run({ ok: false, error: { code: "not a code: ada@example.com", message: "x" } }),
      facts,
    );
    expect(record["error.type"]).toBe("UNKNOWN");
  });

  it("drops PII type names that are not names", () => {
    const record = buildRunRecord(
      run({ pii: { types: { "ada@example.com": { tokenized: 1 }, email: { tokenized: 0, scrubbed: 0 } } } }),
      facts,
    );
    expect(record.pii).toBeUndefined();
  });
});

describe("summariseTools and combineRuns", () => {
  it("groups calls per tool in first-call order", () => {
    expect(summariseTools([]).length).toBe(0);
    expect(summariseTools(run().toolCalls).map((t) => t["gen_ai.tool.name"])).toEqual([
      "filesystem/read_text_file",
      "memory/create_entities",
      "memory/nope",
    ]);
  });

  it("adds up cells; the first failure is the run's, the last result is its result", () => {
    const a = run({ durationMs: 10, cpuMs: 1, result: 1, startupMs: 50, warm: false });
    const b = run({ ok: false, durationMs: 5, cpuMs: 2, error: { code: "TIMEOUT", message: "slow" } });
    const combined = combineRuns([a, b]);
    expect(combined).toMatchObject({ ok: false, durationMs: 15, cpuMs: 3, startupMs: 50, warm: false });
    expect(combined.error?.code).toBe("TIMEOUT");
    expect(combined.toolCalls).toHaveLength(8);
    expect(combineRuns([a]).result).toBe(1);
  });

  it("names JSON types", () => {
    expect([{}, [], "s", 1, true, null, undefined].map(jsonType)).toEqual([
      "object",
      "array",
      "string",
      "number",
      "boolean",
      "null",
      "null",
    ]);
  });
});

describe("normaliseMessage", () => {
  it.each([
    ["KeyError: 'ada@example.com'", "KeyError: '…'"],
    [
      'ValueError: invalid literal for int() with base 10: "abc"',
      'ValueError: invalid literal for int() with base N: "…"',
    ],
    ["ENOENT: no such file or directory, open '/home/ada/x.txt'", "ENOENT: no such file or directory, open '…'"],
    ["cannot read /srv/data/2024/report.csv", "cannot read <path>"],
    ["contact bob@example.org now", "contact <email> now"],
    ["token [EMAIL_1] leaked", "token <pii> leaked"],
    ["fetch https://api.example.com/v1?key=abc failed", "fetch <url> failed"],
    ["id 3f2a9c1b-1111-4222-8333-444455556666 gone", "id <id> gone"],
    ["timeout after 30000 ms\nTraceback: more", "timeout after N ms"],
    ["", ""],
  ])("%s", (message, expected) => {
    expect(normaliseMessage(message)).toBe(expected);
  });

  it("caps the length", () => {
    expect(normaliseMessage("x".repeat(1000)).length).toBeLessThanOrEqual(240);
  });
});

describe("normaliseMessage on the PII corpus", () => {
  it("keeps no value the corpus marks as personal data, wherever it sits in a message", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const corpus = JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/pii/corpus.json"), "utf8")) as {
      input: string;
      expect: { type: string; value: string }[];
    }[];
    const leaks: string[] = [];
    for (const item of corpus) {
      for (const { type, value } of item.expect) {
        // A bare passphrase ("correct horse battery staple") is a secret only by its context (password=...): out of
        // context no rule can tell it from words. Tool results reach a message already as tokens (the run's scrub).
        const bare = type !== "secret" || (/\d/.test(value) && /[a-z]/i.test(value) && value.length >= 6);
        const messages = bare
          ? [item.input, `ValueError: bad value ${value}`, `failed for ${value}: retry`]
          : [item.input];
        for (const message of messages) {
          const out = normaliseMessage(message);
          if (out.includes(value)) leaks.push(`${value} in ${out}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
