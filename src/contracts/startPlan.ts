/**
 * A start plan: the servers `skills run` started early for one command line, and what that choice went by, kept so
 * that the next start of the same command line can start them before it loads the lead (src/cli/startPlan.ts).
 */

/**
 * The variables a choice may read and a plan may keep: the settings of skills.config.json the environment overrides
 * (src/store/config.ts). Of any other (a `${TOKEN}` in .mcp.json) a plan keeps only whether it is set: its value may
 * be a secret, and a server whose command line takes one is left out.
 */
export const SETTING_VARIABLES = ["SKILLS_RUN_LOG", "SKILLS_CACHE_DIR"] as const;

export const isSettingVariable = (name: string): boolean => (SETTING_VARIABLES as readonly string[]).includes(name);

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
  /** Each path looked at, with what the look found (src/store/observedFiles.ts), sorted. */
  files: [string, string][];
  /** Each variable read for its value (SETTING_VARIABLES only), with its value (null: not set). */
  env: [string, string | null][];
  /** Each variable .mcp.json takes, with whether it was set (not empty): all a config's validity depends on. */
  present: [string, boolean][];
  servers: PlannedServer[];
}
