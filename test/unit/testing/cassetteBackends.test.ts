import { afterEach, describe, expect, it } from "vitest";
import { parseCassette } from "../../../src/core/testing/parseCassette.js";
import type { Cassette } from "../../../src/core/testing/types.js";
import { SkillsError } from "../../../src/errors.js";
import { createRecordingBackend } from "../../../src/mcp/cassette/record.js";
import { createReplayBackend, toolsFromCassette } from "../../../src/mcp/cassette/replay.js";
import type { ClientPool } from "../../../src/mcp/pool.js";
import { DEMO_SECRET, demoPool } from "./helpers/demoServer.js";

let pool: ClientPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

async function record(run: (backend: ReturnType<typeof createRecordingBackend>) => Promise<void>): Promise<Cassette> {
  pool = demoPool();
  const tools = await pool.listTools(["demo"]);
  const recorder = createRecordingBackend(pool, { secrets: [DEMO_SECRET] });
  await run(recorder);
  return recorder.cassette({ tools, skill: "demo-skill", case: "basic", recordedAt: "2026-01-01T00:00:00.000Z" });
}

async function rejection(promise: Promise<unknown>): Promise<SkillsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SkillsError)) throw new Error(`expected a SkillsError, got ${String(error)}`);
  return error;
}

describe("recording backend", () => {
  it("records server info, tool schemas with fingerprints, and ordered calls with results", async () => {
    const cassette = await record(async (backend) => {
      await backend.callTool("demo", "echo", { text: "hi" });
      await backend.callTool("demo", "fail", { why: "because" });
    });
    expect(cassette.servers).toEqual({ demo: { name: "demo-server", version: "1.2.3" } });
    expect(cassette.tools.map((t) => t.name).sort()).toEqual(["echo", "fail", "slow", "whoami"]);
    expect(cassette.tools[0]?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(cassette.calls).toEqual([
      {
        server: "demo",
        tool: "echo",
        arguments: { text: "hi" },
        result: { content: [{ type: "text", text: '{"echoed":"hi"}' }] },
      },
      {
        server: "demo",
        tool: "fail",
        arguments: { why: "because" },
        result: { isError: true, content: [{ type: "text", text: "failed: because" }] },
      },
    ]);
    // What gets written is a valid cassette.
    expect(parseCassette(JSON.stringify(cassette), "c.json")).toMatchObject({ ok: true, warnings: [] });
  });

  it("never writes the server config's secrets or well-known token shapes, and flags PII", async () => {
    const cassette = await record(async (backend) => {
      await backend.callTool("demo", "whoami", {});
      await backend.callTool("demo", "echo", { text: `my token is ${DEMO_SECRET}` });
    });
    const text = JSON.stringify(cassette);
    expect(text).not.toContain(DEMO_SECRET);
    expect(text).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(text).toContain("[REDACTED:config]");
    expect(text).toContain("[REDACTED:aws-access-key]");
    expect(cassette.redactions?.map((r) => r.pointer)).toEqual([
      "/calls/0/result/content/0/text",
      "/calls/1/arguments/text",
      "/calls/1/result/content/0/text",
    ]);
    expect(cassette.pii).toEqual([{ pointer: "/calls/0/result/content/0/text", type: "email" }]);
  });

  it("keeps the order in which concurrent calls were made, not the order they finished", async () => {
    const cassette = await record(async (backend) => {
      await Promise.all([
        backend.callTool("demo", "slow", { ms: 60, tag: "first" }),
        backend.callTool("demo", "slow", { ms: 1, tag: "second" }),
      ]);
    });
    expect(cassette.calls.map((c) => c.arguments.tag)).toEqual(["first", "second"]);
    expect(cassette.calls.map((c) => c.batch)).toEqual([1, 1]);
  });

  it("numbers only overlapping calls as batches; sequential calls have none", async () => {
    const cassette = await record(async (backend) => {
      await backend.callTool("demo", "echo", { text: "alone" });
      await Promise.all([
        backend.callTool("demo", "slow", { ms: 20, tag: "a" }),
        backend.callTool("demo", "slow", { ms: 1, tag: "b" }),
      ]);
      await backend.callTool("demo", "echo", { text: "after" });
      await Promise.all([
        backend.callTool("demo", "slow", { ms: 5, tag: "c" }),
        backend.callTool("demo", "slow", { ms: 1, tag: "d" }),
      ]);
    });
    expect(cassette.calls.map((c) => c.batch)).toEqual([undefined, 1, 1, undefined, 2, 2]);
  });

  it("records transport failures as errors and rethrows them", async () => {
    const cassette = await record(async (backend) => {
      const error = await rejection(backend.callTool("missing", "tool", {}));
      expect(error.code).toMatch(/SERVER_NOT_FOUND|MCP_CONFIG_INVALID|SERVER_START_FAILED/);
    });
    expect(cassette.calls[0]?.server).toBe("missing");
    expect(cassette.calls[0]?.error?.message).toContain("missing");
    expect(cassette.calls[0]?.result).toBeUndefined();
  });
});

describe("replay backend", () => {
  const inputSchema = { type: "object", properties: { text: { type: "string" } } };
  const cassette: Cassette = {
    version: 1,
    servers: { demo: { name: "demo-server", version: "1.2.3" } },
    tools: [
      {
        server: "demo",
        serverInfo: { name: "demo-server", version: "1.2.3" },
        name: "echo",
        inputSchema,
        fingerprint: "sha256:x",
      },
    ],
    calls: [
      {
        server: "demo",
        tool: "echo",
        arguments: { text: "a", at: "2026-01-01" },
        result: { content: [{ type: "text", text: "A" }] },
      },
      {
        server: "demo",
        tool: "echo",
        arguments: { text: "b", at: "2026-01-01" },
        result: { content: [{ type: "text", text: "B" }] },
      },
      {
        server: "demo",
        tool: "boom",
        arguments: {},
        error: { code: "SERVER_TIMEOUT", message: "server demo timed out" },
      },
    ],
  };

  it("lists the recorded tools without their fingerprints", async () => {
    const backend = createReplayBackend(cassette);
    expect(await backend.listTools()).toEqual(toolsFromCassette(cassette));
    expect((await backend.listTools(["other"])).length).toBe(0);
    expect("fingerprint" in (toolsFromCassette(cassette)[0] ?? {})).toBe(false);
  });

  it("answers calls in order and reports nothing wrong when all were used", async () => {
    const backend = createReplayBackend(cassette);
    expect(await backend.callTool("demo", "echo", { text: "a", at: "2026-01-01" })).toEqual({
      content: [{ type: "text", text: "A" }],
    });
    expect(await backend.callTool("demo", "echo", { text: "b", at: "2026-01-01" })).toEqual({
      content: [{ type: "text", text: "B" }],
    });
    const error = await rejection(backend.callTool("demo", "boom", {}));
    expect([error.code, error.message]).toEqual(["SERVER_TIMEOUT", "server demo timed out"]);
    expect(backend.report()).toEqual({ calls: 3, consumed: 3, mismatches: [], unused: [] });
  });

  it("refuses a call with other arguments with a readable diff", async () => {
    const backend = createReplayBackend(cassette, { file: "cassettes/basic.json" });
    const error = await rejection(backend.callTool("demo", "echo", { text: "z", at: "2026-01-01" }));
    expect(error.code).toBe("REPLAY_MISMATCH");
    expect(error.message).toContain("call #1 to demo/echo: arguments differ from the recording (cassettes/basic.json)");
    expect(error.message).toContain('-     "text": "a"');
    expect(error.message).toContain('+     "text": "z"');
    expect(error.data.hint).toMatch(/--record/);
    const report = backend.report();
    expect(report.mismatches).toHaveLength(1);
    expect(report.unused.map((u) => u.index)).toEqual([0, 1, 2]);
  });

  it("refuses a call to another tool", async () => {
    const backend = createReplayBackend(cassette);
    const error = await rejection(backend.callTool("demo", "other", {}));
    expect(error.message).toContain("call #1: expected demo/echo, the program called demo/other");
    expect(error.message).toContain('-   "tool": "demo/echo"');
    expect(error.message).toContain('+   "tool": "demo/other"');
  });

  it("refuses an extra call after the cassette ran out", async () => {
    const backend = createReplayBackend({ ...cassette, calls: cassette.calls.slice(0, 1) });
    await backend.callTool("demo", "echo", { text: "a", at: "2026-01-01" });
    const error = await rejection(backend.callTool("demo", "echo", { text: "a" }));
    expect(error.message).toContain("unexpected call #2 to demo/echo: the cassette has no more calls");
    expect(error.message).toContain("- (nothing)");
  });

  it("accepts calls of one recorded batch in any order, but not across batches", async () => {
    const call = (text: string, batch?: number) => ({
      server: "demo",
      tool: "echo",
      arguments: { text },
      result: { content: [{ type: "text", text: text.toUpperCase() }] },
      ...(batch ? { batch } : {}),
    });
    const batched: Cassette = {
      ...cassette,
      calls: [call("a", 1), call("b", 1), call("c"), call("d", 2), call("e", 2)],
    };
    const backend = createReplayBackend(batched);
    for (const text of ["b", "a", "c", "e", "d"]) await backend.callTool("demo", "echo", { text });
    expect(backend.report()).toMatchObject({ mismatches: [], unused: [] });
    const crossing = createReplayBackend(batched);
    await crossing.callTool("demo", "echo", { text: "a" });
    const error = await rejection(crossing.callTool("demo", "echo", { text: "c" }));
    expect(error.message).toContain('-     "text": "b"');
    expect(error.message).toContain('+     "text": "c"');
  });

  it("ignores listed fields when comparing arguments", async () => {
    const backend = createReplayBackend(cassette, { args: { ignore: ["at"] } });
    await backend.callTool("demo", "echo", { text: "a", at: "2030-05-05" });
    expect(backend.report().mismatches).toEqual([]);
  });

  it("with order any, takes the first equal unused call", async () => {
    const strict = createReplayBackend(cassette);
    await rejection(strict.callTool("demo", "echo", { text: "b", at: "2026-01-01" }));
    const any = createReplayBackend(cassette, { order: "any" });
    expect(await any.callTool("demo", "echo", { text: "b", at: "2026-01-01" })).toEqual({
      content: [{ type: "text", text: "B" }],
    });
    expect(await any.callTool("demo", "echo", { text: "a", at: "2026-01-01" })).toEqual({
      content: [{ type: "text", text: "A" }],
    });
    const error = await rejection(any.callTool("demo", "echo", { text: "c" }));
    expect(error.message).toContain("call #3: expected demo/boom, the program called demo/echo");
    expect(any.report().unused.map((u) => u.tool)).toEqual(["boom"]);
  });

  it("returns copies, so a program cannot change the cassette", async () => {
    const backend = createReplayBackend(cassette);
    const result = await backend.callTool("demo", "echo", { text: "a", at: "2026-01-01" });
    (result.content as { text: string }[])[0]!.text = "changed";
    expect(cassette.calls[0]!.result!.content).toEqual([{ type: "text", text: "A" }]);
  });

  it("a recording replays green", async () => {
    const recorded = await record(async (backend) => {
      await backend.callTool("demo", "echo", { text: "x" });
      await backend.callTool("demo", "fail", { why: "y" });
    });
    const backend = createReplayBackend(recorded);
    expect(await backend.callTool("demo", "echo", { text: "x" })).toEqual(recorded.calls[0]?.result);
    expect((await backend.callTool("demo", "fail", { why: "y" })).isError).toBe(true);
    expect(backend.report()).toMatchObject({ mismatches: [], unused: [] });
  });
});
