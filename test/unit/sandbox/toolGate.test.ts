import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SkillsError } from "../../../src/errors.js";
import type { CallToolResult, ToolBackend } from "../../../src/contracts/tools.js";
import { BRIDGE_ERROR_CODES } from "../../../src/sandbox/protocol.js";
import { ToolGate } from "../../../src/sandbox/toolGate.js";
import { type TestBackend, createTestBackend } from "./helpers.js";

let backend: TestBackend;
beforeAll(async () => {
  backend = await createTestBackend();
});
afterAll(async () => {
  await backend.close();
});

const gate = (over: Partial<ConstructorParameters<typeof ToolGate>[0]> = {}) =>
  new ToolGate({ tools: backend.tools, backend, maxToolCalls: 10, ...over });

describe("ToolGate", () => {
  test("forwards a declared, valid call and records it", async () => {
    const g = gate();
    const answer = await g.call({ server: "demo", tool: "add", arguments: { a: 1, b: 2 } });
    expect((answer.result as CallToolResult).structuredContent).toEqual({ sum: 3 });
    expect(g.records).toEqual([expect.objectContaining({ tool: "demo/add", ok: true, bytesIn: 13 })]);
    expect(g.records[0]!.bytesOut).toBeGreaterThan(0);
  });

  test.each([
    ["malformed params", null, "BRIDGE_PROTOCOL", /needs params/],
    [
      "undeclared tool",
      { server: "demo", tool: "nope", arguments: {} },
      "TOOL_NOT_DECLARED",
      /demo\/nope is not declared .*declared: demo\//,
    ],
    [
      "arguments not an object",
      { server: "demo", tool: "add", arguments: [1] },
      "TOOL_ARGS_INVALID",
      /must be an object/,
    ],
    [
      "wrong type",
      { server: "demo", tool: "add", arguments: { a: "x", b: 1 } },
      "TOOL_ARGS_INVALID",
      /at \/a: must be number/,
    ],
    [
      "missing property",
      { server: "demo", tool: "add", arguments: { a: 1 } },
      "TOOL_ARGS_INVALID",
      /at \/b: must have required property 'b'/,
    ],
  ])("refuses: %s", async (_name, params, code, message) => {
    const answer = await gate().call(params);
    expect(answer.error?.data?.code).toBe(code);
    expect(answer.error?.code).toBe(BRIDGE_ERROR_CODES[code as keyof typeof BRIDGE_ERROR_CODES]);
    expect(answer.error?.message).toMatch(message);
  });

  test("argument errors carry the JSON pointer", async () => {
    const answer = await gate().call({ server: "demo", tool: "add", arguments: { a: 1 } });
    expect(answer.error?.data).toMatchObject({ code: "TOOL_ARGS_INVALID", pointer: "/b" });
  });

  test("the call after max_tool_calls is refused; refused calls do not count", async () => {
    const g = gate({ maxToolCalls: 2 });
    await g.call({ server: "demo", tool: "nope", arguments: {} });
    expect((await g.call({ server: "demo", tool: "add", arguments: { a: 1, b: 1 } })).error).toBeUndefined();
    expect((await g.call({ server: "demo", tool: "add", arguments: { a: 1, b: 1 } })).error).toBeUndefined();
    const third = await g.call({ server: "demo", tool: "add", arguments: { a: 1, b: 1 } });
    expect(third.error?.data?.code).toBe("TOOL_CALL_LIMIT");
    expect(third.error?.message).toMatch(/more than 2 tool calls/);
  });

  test("no backend, and a backend that throws: TOOL_CALL_FAILED with the reason", async () => {
    const none = await gate({ backend: undefined }).call({ server: "demo", tool: "add", arguments: { a: 1, b: 1 } });
    expect(none.error?.message).toMatch(/no tool backend/);
    const broken: ToolBackend = {
      listTools: async () => [],
      callTool: async () => {
        throw new SkillsError("SERVER_TIMEOUT", "server demo did not answer in 5000 ms");
      },
      close: async () => undefined,
    };
    const g = gate({ backend: broken });
    const answer = await g.call({ server: "demo", tool: "add", arguments: { a: 1, b: 1 } });
    expect(answer.error).toMatchObject({
      message: "demo/add: server demo did not answer in 5000 ms",
      data: { code: "TOOL_CALL_FAILED", cause: "SERVER_TIMEOUT" },
    });
    expect(g.records[0]).toMatchObject({ ok: false, error: "SERVER_TIMEOUT" });
  });

  test("a tool-level error is forwarded as a result and recorded as not ok", async () => {
    const g = gate();
    const answer = await g.call({ server: "demo", tool: "fail", arguments: {} });
    expect((answer.result as CallToolResult).isError).toBe(true);
    expect(g.records[0]).toMatchObject({ ok: false, error: "TOOL_ERROR" });
  });

  test("the interceptor wraps every forwarded call", async () => {
    const seen: string[] = [];
    const g = gate({
      interceptor: {
        beforeCall: (s, t, args) => {
          seen.push(`before ${s}/${t}`);
          return { ...args, b: 100 };
        },
        afterCall: (s, t, result) => {
          seen.push(`after ${s}/${t}`);
          return { ...(result as object), tagged: true };
        },
      },
    });
    const answer = await g.call({ server: "demo", tool: "add", arguments: { a: 1, b: 2 } });
    expect(answer.result).toMatchObject({ structuredContent: { sum: 101 }, tagged: true });
    expect(seen).toEqual(["before demo/add", "after demo/add"]);
  });

  test("the interceptor is told each result as the text the bridge sends, tool errors too, refusals not", async () => {
    const told: string[] = [];
    const g = gate({
      interceptor: {
        beforeCall: (_s, _t, args) => args,
        afterCall: (_s, _t, result) => ({ ...(result as object), tagged: true }),
        delivered: (s, t, text) => told.push(`${s}/${t} ${text}`),
      },
    });
    const added = await g.call({ server: "demo", tool: "add", arguments: { a: 1, b: 2 } });
    const failed = await g.call({ server: "demo", tool: "fail", arguments: {} });
    await g.call({ server: "demo", tool: "add", arguments: { a: "one" } });
    await g.call({ server: "demo", tool: "missing", arguments: {} });
    expect(told).toEqual([`demo/add ${added.resultJson}`, `demo/fail ${failed.resultJson}`]);
    expect(JSON.parse(added.resultJson!)).toMatchObject({ structuredContent: { sum: 3 }, tagged: true });
  });

  test("a transport failure's message goes through the interceptor's scrub before the program sees it", async () => {
    const leaking: ToolBackend = {
      listTools: async () => backend.tools,
      callTool: async (_server, _tool, args) => {
        throw new SkillsError("TOOL_CALL_FAILED", `server rejected ${String(args.a)} for alice@example.com`);
      },
      close: async () => {},
    };
    const g = gate({
      backend: leaking,
      interceptor: {
        beforeCall: (_s, _t, args) => args,
        afterCall: (_s, _t, result) => result,
        scrub: (text) => text.replaceAll("alice@example.com", "[EMAIL_1]"),
      },
    });
    const answer = await g.call({ server: "demo", tool: "add", arguments: { a: 1, b: 2 } });
    expect(answer.error?.message).toBe("demo/add: server rejected 1 for [EMAIL_1]");
    expect(JSON.stringify(answer)).not.toContain("alice@example.com");
  });
});
