// How long a stdio MCP server takes from spawn to its answer to `initialize`: the server's own start-up, which no
// client can make shorter. The CLI bench compares the quick-start run with it.
import { spawn } from "node:child_process";

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "0" } },
};

/** Milliseconds from spawn to the initialize answer; the server is killed afterwards. */
export function serverReadyMs(command, args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
    let buffer = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} did not answer initialize within 30 s`));
    }, 30_000);
    child.on("error", reject);
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      for (const line of buffer.split("\n").slice(0, -1)) {
        if (JSON.parse(line).id === 1) {
          const ms = performance.now() - started;
          clearTimeout(timer);
          child.kill("SIGKILL");
          child.once("close", () => resolve(ms));
          return;
        }
      }
      buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
    });
    child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
  });
}

/** The wall time of a run's tool calls (the union of their intervals), as the CLI's calls table shows it. */
export { callsWallMs } from "../../dist/core/metrics/callsWall.js";
