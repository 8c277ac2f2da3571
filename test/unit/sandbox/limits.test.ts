import { describe, expect, test } from "vitest";
import {
  DEFAULT_LIMITS,
  cpuSeconds,
  limitsFromManifest,
  resolveLimits,
  rlimitProfile,
} from "../../../src/sandbox/limits.js";

describe("limits", () => {
  test("limitsFromManifest maps every snake_case field", () => {
    expect(
      limitsFromManifest({
        timeout_ms: 1,
        memory_mb: 2,
        max_tool_calls: 3,
        max_output_bytes: 4,
        cpu_ms: 5,
        max_processes: 6,
        max_file_bytes: 7,
        max_open_files: 8,
      }),
    ).toEqual({
      timeoutMs: 1,
      memoryMb: 2,
      maxToolCalls: 3,
      maxOutputBytes: 4,
      cpuMs: 5,
      maxProcesses: 6,
      maxFileBytes: 7,
      maxOpenFiles: 8,
    });
    expect(limitsFromManifest(undefined)).toEqual({});
    expect(limitsFromManifest({ timeout_ms: 10 })).toEqual({ timeoutMs: 10 });
  });

  test("resolveLimits fills defaults and ignores invalid values", () => {
    expect(resolveLimits()).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ timeoutMs: 5 }).timeoutMs).toBe(5);
    expect(resolveLimits({ timeoutMs: -1, memoryMb: Number.NaN }).timeoutMs).toBe(DEFAULT_LIMITS.timeoutMs);
    expect(resolveLimits({ memoryMb: Number.NaN }).memoryMb).toBe(DEFAULT_LIMITS.memoryMb);
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });

  test("CPU seconds round up and never reach zero", () => {
    expect(cpuSeconds(resolveLimits({ cpuMs: 1500 }))).toBe(2);
    expect(cpuSeconds(resolveLimits({ cpuMs: 0 }))).toBe(1);
    expect(rlimitProfile(resolveLimits({ cpuMs: 3000, maxProcesses: 9 }))).toMatchObject({
      cpuSeconds: 3,
      processes: 9,
    });
  });
});
