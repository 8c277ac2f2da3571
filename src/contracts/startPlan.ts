/**
 * A start plan: the servers `skills run` started early for one command line, and what that choice went by, kept so
 * that the next start of the same command line can start them before it loads the lead (src/cli/startPlan.ts).
 */

/** A server a start plan starts: spawned as the client pool spawns it, with no variables of its own. */
export interface PlannedServer {
  command: string;
  args: string[];
  cwd: string;
  /** The folder made before the spawn, as the pool does (the project's .skills). */
  mkdir: string;
}

/** What the lead's choice of servers went by, and what it started (src/commands/shared/earlyServers.ts). */
export interface StartChoice {
  /** Each path looked at, with its signature then (src/store/observedFiles.ts). */
  files: [string, string][];
  /** Each variable read (SKILLS_ settings only), with its value (null: not set). */
  env: [string, string | null][];
  servers: PlannedServer[];
}
