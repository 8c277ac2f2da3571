/**
 * The served app's protocol server, driven by the SDK's Client over InMemoryTransport: argument checks, errors as
 * isError results (never a failed server), the client's name and cancellation reaching handlers, resources.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterEach, describe, expect, it } from "vitest";
import { SkillsError } from "../../../src/errors.js";
import { createProtocolServer } from "../../../src/mcp/server/protocol.js";
import type { CallContext, ServedApp } from "../../../src/mcp/server/types.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function app(overrides: Partial<ServedApp> = {}): ServedApp & { seen: CallContext[]; internal: unknown[] } {
  const seen: CallContext[] = [];
  const internal: unknown[] = [];
  return {
    info: { name: "test", version: "1.0.0" },
    seen,
    internal,
    onInternalError: (error) => internal.push(error),
    tools: [
      {
        name: "echo",
        description: "Echoes its text",
        inputSchema: {
          type: "object",
          properties: { text: { type: "string" }, times: { type: "integer", minimum: 1, default: 1 } },
          required: ["text"],
          additionalProperties: false,
        },
        outputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
        annotations: { readOnlyHint: true },
        async call(args, context) {
          seen.push(context);
          return { structured: { text: String(args.text).repeat(args.times as number) } };
        },
      },
      {
        name: "fail",
        description: "Fails the way it is told",
        inputSchema: { type: "object", properties: { how: { enum: ["skills", "bug", "result"] } } },
        outputSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
        async call(args) {
          if (args.how === "skills") throw new SkillsError("NOT_FOUND", "no such thing", { hint: "try another" });
          if (args.how === "bug") throw new TypeError("cannot read x of undefined");
          return { structured: { ok: false }, isError: true };
        },
      },
      {
        name: "wait",
        description: "Waits until cancelled",
        inputSchema: { type: "object" },
        async call(_args, context) {
          seen.push(context);
          await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
          return { structured: { cancelled: context.signal.aborted } };
        },
      },
    ],
    resources: {
      templates: [{ uriTemplate: "skill://{name}/SKILL.md", name: "skill", mimeType: "text/markdown" }],
      list: async () => [{ uri: "skill://a/SKILL.md", name: "a", mimeType: "text/markdown" }],
      read: async (uri) => {
        if (uri !== "skill://a/SKILL.md") throw new SkillsError("NOT_FOUND", `no resource ${uri}`);
        return { uri, mimeType: "text/markdown", text: "# a" };
      },
    },
    ...overrides,
  };
}

async function connect(served: ServedApp): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createProtocolServer(served, { connection: "conn-1" });
  await server.connect(serverSide);
  const client = new Client({ name: "unit-client", version: "9.9.9" });
  await client.connect(clientSide);
  closers.push(
    () => client.close(),
    () => server.close(),
  );
  return client;
}

describe("createProtocolServer", () => {
  it("lists the tools as defined, and answers with structured content and its JSON text", async () => {
    const served = app();
    const client = await connect(served);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["echo", "fail", "wait"]);
    expect(tools[0]).toMatchObject({ annotations: { readOnlyHint: true }, outputSchema: { required: ["text"] } });
    const answer = await client.callTool({ name: "echo", arguments: { text: "ab", times: 2 } });
    expect(answer.structuredContent).toEqual({ text: "abab" });
    expect(answer.content).toEqual([{ type: "text", text: '{"text":"abab"}' }]);
    expect(answer.isError).toBeUndefined();
  });

  it("fills in defaults and hands the client's name and the connection to the handler", async () => {
    const served = app();
    const client = await connect(served);
    expect((await client.callTool({ name: "echo", arguments: { text: "x" } })).structuredContent).toEqual({
      text: "x",
    });
    expect(served.seen[0]).toMatchObject({ client: { name: "unit-client", version: "9.9.9" }, connection: "conn-1" });
  });

  it("answers bad arguments with an isError result naming each problem", async () => {
    const client = await connect(app());
    const answer = await client.callTool({ name: "echo", arguments: { times: 0, extra: true } });
    expect(answer.isError).toBe(true);
    const text = (answer.content as { text: string }[])[0]!.text;
    expect(text).toMatch(/^INVALID_ARGUMENT: the arguments of echo are invalid:/);
    expect(text).toContain("must have required property 'text'");
    expect(text).toContain('("extra")');
    expect(text).toContain("/times must be >= 1");
  });

  it("a SkillsError is an isError result with its code and hint; a bug too, and the operator hears of it", async () => {
    const served = app();
    const client = await connect(served);
    const known = await client.callTool({ name: "fail", arguments: { how: "skills" } });
    expect(known).toMatchObject({ isError: true, content: [{ text: "NOT_FOUND: no such thing\nhint: try another" }] });
    const bug = await client.callTool({ name: "fail", arguments: { how: "bug" } });
    expect(bug).toMatchObject({ isError: true, content: [{ text: "INTERNAL: cannot read x of undefined" }] });
    expect(served.internal).toHaveLength(1);
    const failedRun = await client.callTool({ name: "fail", arguments: { how: "result" } });
    expect(failedRun).toMatchObject({ isError: true, structuredContent: { ok: false } });
    const unknown = await client.callTool({ name: "nope", arguments: {} });
    expect(unknown).toMatchObject({
      isError: true,
      content: [{ text: 'UNKNOWN_TOOL: there is no tool "nope"\nhint: echo, fail, wait' }],
    });
    // the server still answers
    expect((await client.callTool({ name: "echo", arguments: { text: "ok" } })).structuredContent).toEqual({
      text: "ok",
    });
  });

  it("a client that cancels its call aborts the handler's signal", async () => {
    const served = app();
    const client = await connect(served);
    const controller = new AbortController();
    const call = client.callTool({ name: "wait", arguments: {} }, undefined, { signal: controller.signal });
    while (served.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(call).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(served.seen[0]!.signal.aborted).toBe(true);
  });

  it("serves resources and their template; an unknown one is the spec's resource-not-found error", async () => {
    const client = await connect(app());
    expect((await client.listResources()).resources).toEqual([
      { uri: "skill://a/SKILL.md", name: "a", mimeType: "text/markdown" },
    ]);
    expect((await client.listResourceTemplates()).resourceTemplates[0]!.uriTemplate).toBe("skill://{name}/SKILL.md");
    expect((await client.readResource({ uri: "skill://a/SKILL.md" })).contents).toEqual([
      { uri: "skill://a/SKILL.md", mimeType: "text/markdown", text: "# a" },
    ]);
    await expect(client.readResource({ uri: "skill://b/SKILL.md" })).rejects.toMatchObject({ code: -32002 });
  });
});
