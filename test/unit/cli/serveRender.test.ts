/**
 * What `skills serve` prints on stderr for the operator: server names, warnings and a failing server's reason come
 * from .mcp.json and from the servers, so their terminal control characters are shown as escapes, with and without
 * colour (the styling itself still works).
 */
import { describe, expect, it } from "vitest";
import { renderInternalError, renderServerEvent, renderServeStart } from "../../../src/cli/render/serve.js";
import { createStyle } from "../../../src/cli/style.js";
import type { ServeHandle } from "../../../src/commands/serve/serve.js";

const plain = createStyle(false);
const color = createStyle(true);
const ESC = "\u001b";

function handle(servers: string[], warnings: string[]): ServeHandle {
  return {
    transport: "http",
    url: "http://127.0.0.1:8765/mcp",
    port: 8765,
    warnings,
    health: () => ({
      status: "ok",
      version: "0",
      servers: servers.map((name) => ({ name, state: "up", restarts: 0 })),
      tools: 0,
      sessions: 0,
      runs: { active: 0, queued: 0 },
    }),
    serverPids: () => ({}),
    closed: new Promise(() => undefined),
    close: async () => ({ ok: true, transport: "http", calls: {}, warnings: [] }),
  } as unknown as ServeHandle;
}

describe("skills serve's stderr", () => {
  it("a server's reason for going down cannot set the title, clear the screen or reverse the line", () => {
    const line = renderServerEvent(
      { server: `evil${ESC}[2J`, kind: "down", reason: `boom${ESC}]0;pwned\u0007 \u202eok\nsecond line` },
      plain,
    );
    expect(line).toBe(
      "skills serve: server evil\\x1b[2J is down (boom\\x1b]0;pwned\\x07 \\u202eok); starting it again",
    );
  });

  it("with colour, only our own styling is raw escape codes", () => {
    const line = renderServerEvent({ server: `s${ESC}[31m`, kind: "down", reason: "exit 1" }, color);
    expect(line).toBe(`${ESC}[33mskills serve: server s\\x1b[31m is down (exit 1); starting it again${ESC}[39m`);
    expect(renderServerEvent({ server: `s\r`, kind: "restarted" }, color)).toBe("skills serve: server s\\r is back up");
  });

  it("the start lines escape server names and warnings", () => {
    const text = renderServeStart(
      handle([`a${ESC}[1A`], [`server "x${ESC}[K" in .mcp.json is skills serve itself`]),
      plain,
    );
    expect(text).toBe(
      [
        "skills serve: listening on http://127.0.0.1:8765/mcp (servers: a\\x1b[1A)",
        'skills serve: warning: server "x\\x1b[K" in .mcp.json is skills serve itself',
      ].join("\n"),
    );
  });

  it("an internal error's message is escaped", () => {
    expect(renderInternalError(new Error(`bad${ESC}[2Jthing`), plain)).toBe(
      "skills serve: internal error: bad\\x1b[2Jthing",
    );
  });
});
