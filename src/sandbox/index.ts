/** The sandbox API: run programs in fresh sandboxed processes, warm pools, sessions, isolation report. */
export { runProgram, createRunner, prestartWorker } from "./runner.js";
export { createSession, DEFAULT_IDLE_TIMEOUT_MS } from "./session.js";
export { detectIsolation, FORCE_ISOLATION_ENV } from "./isolation.js";
export { splitCells, type Cell } from "./cells.js";
export { DEFAULT_LIMITS, limitsFromManifest, resolveLimits } from "./limits.js";
export { loadRuntimeSources, RUNTIME_DIR } from "./runtimeFiles.js";
export { ensureSdk } from "./sdk.js";
export { checkBinds, trialRuns, type BindCheck, type TrialRun } from "./preflight.js";
export * from "./protocol.js";
