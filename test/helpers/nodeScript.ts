/**
 * An ES module script run in a new node process: what a fresh start does, with nothing this process compiled or
 * cached (V8 keeps what it compiled in memory). Its stderr must be empty; returns what it printed.
 */
import { spawnSync } from "node:child_process";
import { expect } from "vitest";

export function runNodeScript(script: string, options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): string {
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: options.timeout ?? 60_000,
    ...(options.env ? { env: options.env } : {}),
  });
  expect(child.stderr).toBe("");
  return child.stdout;
}
