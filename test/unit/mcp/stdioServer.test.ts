/**
 * The served app over stdio streams: a client's messages pass through unchanged, and a client that sends a line
 * longer than the cap (the SDK's reader would keep it all in memory) stops the server with a message saying why.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { serveStdio } from "../../../src/mcp/server/stdio.js";
import type { ServedApp } from "../../../src/mcp/server/types.js";

function app(internal: unknown[]): ServedApp {
  return {
    info: { name: "test", version: "1.0.0" },
    onInternalError: (error) => internal.push(error),
    tools: [],
  };
}

const INIT = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
})}\n`;

function answers(stdout: PassThrough): () => string {
  let text = "";
  stdout.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
}

describe("serveStdio", () => {
  it("answers messages split across chunks, at the cap and below it", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const internal: unknown[] = [];
    const read = answers(stdout);
    const served = await serveStdio(app(internal), { stdin, stdout, maxLineBytes: INIT.length });
    stdin.write(INIT.slice(0, 10));
    stdin.write(INIT.slice(10));
    for (let i = 0; i < 100 && !read().includes("\n"); i++) await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse(read().split("\n")[0]!)).toMatchObject({ id: 1, result: { serverInfo: { name: "test" } } });
    stdin.end();
    await served.closed;
    expect(internal).toEqual([]);
  });

  it("a line over the cap stops the server and says why; nothing of it is kept", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const internal: unknown[] = [];
    answers(stdout);
    const served = await serveStdio(app(internal), { stdin, stdout, maxLineBytes: 1024 * 1024 });
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    for (let i = 0; i < 8; i++) stdin.write(chunk);
    await served.closed;
    expect(internal.map((error) => (error as Error).message)).toEqual([
      "the client sent a message line over 1 MiB without ending it: stopping",
    ]);
    // the client's stream is let go of: what it sends next is not read
    expect(stdin.listenerCount("data")).toBe(0);
  });
});
