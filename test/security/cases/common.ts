/**
 * The hostile programs. Each case is a program (Python or TypeScript) plus what must hold afterwards: about the run
 * (contained: refused, killed, or failing cleanly) and about the host (nothing written, nothing leaked, nobody
 * signalled, nothing left running). Values from the host (paths, ports, secrets) are baked into the source.
 */
import { expect } from "vitest";
import type { RunLimits, RunResult } from "../../../src/contracts/run.js";
import { everythingSaid, MARKER, type RecordingBackend } from "../helpers.js";

export interface HostContext {
  /** A secret set in the host's environment before any run. */
  canary: string;
  /** A file with secret content in the host user's home folder. */
  homeCanaryPath: string;
  homeCanaryContent: string;
  /** The repository root (its .git/config must stay unreadable). */
  repo: string;
  /** The host's SDK cache folder (no program may see its path). */
  sdkCache: string;
  /** First line of the host's /etc/shadow, when the test can read it. */
  shadowLine?: string;
  /** A host folder the programs try to write into. */
  hostDir: string;
  /** The test process: programs try to signal and trace it. */
  hostPid: number;
  trapPort: number;
  trapConnections: () => number;
  abstractName: string;
  abstractConnections: () => number;
  signalsReceived: () => number;
  backend: RecordingBackend;
}

export interface HostileCase {
  name: string;
  language: "python" | "typescript";
  /** Tool names of the battery server the program may call. */
  tools?: string[];
  limits?: Partial<RunLimits>;
  code: (host: HostContext) => string;
  check: (run: RunResult, host: HostContext) => void | Promise<void>;
}

export const PY_MARK = `open("/proc/self/comm", "w").write(${JSON.stringify(MARKER)})\n`;

/** A contained run ended by the sandbox (not by the program finishing its attack). */
export function expectStopped(run: RunResult, maxMs: number): void {
  expect(run.ok).toBe(false);
  expect(run.durationMs).toBeLessThan(maxMs);
}

export function expectNotContains(run: RunResult, ...secrets: (string | undefined)[]): void {
  const said = everythingSaid(run);
  for (const secret of secrets) if (secret) expect(said).not.toContain(secret);
}
