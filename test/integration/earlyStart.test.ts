/**
 * Servers started early (pool.prestart, what a run does while its sandbox starts): what a server says before the
 * client listens reaches the client, a pool closed in the middle of a handshake neither hangs nor leaves a process,
 * and a write to a server that is going away fails instead of waiting for a drain that never comes.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadMcpConfig } from "../../src/mcp/config.js";
import { createClientPool } from "../../src/mcp/pool.js";
import { liveProcessGroups } from "../../src/mcp/pool/processRegistry.js";
import { ProcessStdioTransport } from "../../src/mcp/pool/stdioTransport.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");

/**
 * A process that prints one JSON-RPC notification at once, then reads stdin until it ends. Once the notification is
 * written it says "written" on stderr, and `written` settles when that arrives.
 */
function chatty(): { transport: ProcessStdioTransport; written: Promise<void> } {
  const script =
    'process.stdout.write(JSON.stringify({jsonrpc:"2.0",method:"notifications/message",params:{level:"info",data:"up"}})+"\\n",' +
    '()=>process.stderr.write("written"));' +
    "process.stdin.resume();process.stdin.on('end',()=>process.exit(0));";
  let said = "";
  let markWritten: () => void = () => undefined;
  const written = new Promise<void>((resolve) => (markWritten = resolve));
  const onStderr = (text: string) => {
    said += text;
    if (said.includes("written")) markWritten();
  };
  const transport = new ProcessStdioTransport({
    command: process.execPath,
    args: ["-e", script],
    env: {},
    cwd: ROOT,
    onStderr,
  });
  return { transport, written };
}

describe("servers started early", () => {
  it("messages sent before the client listens are handed over when it starts", async () => {
    const { transport, written } = chatty();
    try {
      await transport.start();
      // The notification is in the pipe before "written" is on stderr; a little longer and it has been read (a
      // start under load can take longer than any fixed wait).
      await written;
      await new Promise((done) => setTimeout(done, 50));
      const seen: unknown[] = [];
      transport.onmessage = (message) => seen.push(message);
      await transport.start();
      expect(seen).toEqual([
        { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "up" } },
      ]);
    } finally {
      await transport.close();
    }
  });

  it("a write to a server that is closing fails at once", async () => {
    const { transport } = chatty();
    await transport.start();
    const closing = transport.close();
    await expect(transport.send({ jsonrpc: "2.0", method: "notifications/initialized" })).rejects.toThrow(
      "not connected",
    );
    await closing;
    await expect(transport.send({ jsonrpc: "2.0", method: "notifications/initialized" })).rejects.toThrow(
      "not connected",
    );
  });

  it("a pool closed while its servers are in their handshake ends them and returns", async () => {
    const config = await loadMcpConfig({ cwd: ROOT });
    for (const delayMs of [0, 50, 150, 300]) {
      const pool = createClientPool(config, { servers: ["everything"] });
      pool.prestart(["everything"]);
      await new Promise((done) => setTimeout(done, delayMs));
      const started = performance.now();
      await pool.close();
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(liveProcessGroups()).toEqual([]);
    }
  });

  it("the first use of a server started early gets its connection and answers calls", async () => {
    const config = await loadMcpConfig({ cwd: ROOT });
    const pool = createClientPool(config, { servers: ["everything"] });
    try {
      pool.prestart(["everything"]);
      expect(pool.startedServers()).toEqual(["everything"]);
      const info = await pool.serverInfo("everything");
      expect(info.name).toBeTruthy();
      const result = await pool.callTool("everything", "get-sum", { a: 2, b: 3 });
      expect(JSON.stringify(result.content)).toContain("5");
    } finally {
      await pool.close();
    }
  });
});
