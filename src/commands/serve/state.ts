/** What the served tools share: the project, the warm tools and runner (one execution), the sessions, the limits. */
import type { ProjectConfig } from "../../store/config.js";
import type { Execution } from "../shared/execution.js";
import type { LiveTools } from "./liveTools.js";
import type { RunLimiter } from "./limiter.js";
import type { SessionRegistry } from "./sessions.js";

export interface ServeState {
  cwd: string;
  config: ProjectConfig;
  live: LiveTools;
  /** The one execution every served run goes through (warm pool, PII interceptor per run, the run observer). */
  execution: Execution;
  sessions: SessionRegistry;
  limiter: RunLimiter;
  idleTimeoutMs: number;
  /** Aborted when the server shuts down: every run still going ends. */
  shutdown: AbortSignal;
}
