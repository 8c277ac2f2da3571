/** Run limits: defaults, the manifest's snake_case form, and what the sandbox derives from them. */
import type { ManifestLimits } from "../contracts/skill.js";
import type { RunLimits } from "../contracts/run.js";

export const DEFAULT_LIMITS: RunLimits = Object.freeze({
  timeoutMs: 30_000,
  memoryMb: 512,
  maxToolCalls: 1_000,
  maxOutputBytes: 256 * 1024,
  cpuMs: 30_000,
  maxProcesses: 64,
  maxFileBytes: 64 * 1024 * 1024,
  maxOpenFiles: 256,
  maxLogBytes: 1024 * 1024,
});

export function limitsFromManifest(limits?: ManifestLimits): Partial<RunLimits> {
  if (!limits) return {};
  const out: Partial<RunLimits> = {};
  if (limits.timeout_ms !== undefined) out.timeoutMs = limits.timeout_ms;
  if (limits.memory_mb !== undefined) out.memoryMb = limits.memory_mb;
  if (limits.max_tool_calls !== undefined) out.maxToolCalls = limits.max_tool_calls;
  if (limits.max_output_bytes !== undefined) out.maxOutputBytes = limits.max_output_bytes;
  if (limits.cpu_ms !== undefined) out.cpuMs = limits.cpu_ms;
  if (limits.max_processes !== undefined) out.maxProcesses = limits.max_processes;
  if (limits.max_file_bytes !== undefined) out.maxFileBytes = limits.max_file_bytes;
  if (limits.max_open_files !== undefined) out.maxOpenFiles = limits.max_open_files;
  return out;
}

export function resolveLimits(limits?: Partial<RunLimits>): RunLimits {
  const out: RunLimits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(limits ?? {})) {
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) out[key as keyof RunLimits] = value;
  }
  return out;
}

/** RLIMIT_CPU is whole seconds; round up so a 1500 ms budget is not cut to 1 s. */
export function cpuSeconds(limits: RunLimits): number {
  return Math.max(1, Math.ceil(limits.cpuMs / 1000));
}

/** The kernel-enforced limits a worker is started with (prlimit). Workers with equal profiles are interchangeable. */
export interface RlimitProfile {
  cpuSeconds: number;
  fileBytes: number;
  openFiles: number;
  processes: number;
  memoryMb: number;
}

export function rlimitProfile(limits: RunLimits): RlimitProfile {
  return {
    cpuSeconds: cpuSeconds(limits),
    fileBytes: limits.maxFileBytes,
    openFiles: limits.maxOpenFiles,
    processes: limits.maxProcesses,
    memoryMb: limits.memoryMb,
  };
}
