/**
 * Start plans. `skills run`'s lead (src/cli/lead.ts) starts the skill's MCP servers before the run loads; but node
 * needs ~10 ms to load the lead and choose them (read both config files, find the skill, read its manifest), and a
 * server's start is the longest part of a run. So the lead's choice is kept, with what it went by
 * (src/commands/shared/earlyServers.ts): the files it looked at (src/store/observedFiles.ts: for the files it read,
 * their text too), the settings it read from the environment (SKILLS_RUN_LOG, SKILLS_CACHE_DIR), and whether each
 * variable .mcp.json takes is set. The next start of the same command line (any --input of the same kind: planArgv)
 * in the same folder starts those servers first thing, when all of that is as it was and the lead file is the one
 * that chose (a new build chooses anew). The lead then makes its choice as always and takes the processes over; one
 * it does not choose (a change no look shows) is ended at once, and the plan is written again.
 *
 * A plan names commands to run, so it is kept only where the code cache is, read only as the cache is read
 * (src/cli/program.ts), and never holds a value from the environment but the two settings: of a `${TOKEN}` in
 * .mcp.json (even `${SKILLS_TOKEN}`) it keeps only whether it is set, and a server whose command line takes one, or
 * with variables of its own, is left out of it.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, type Stats, statSync } from "node:fs";
import { createRequire } from "node:module";
import { isSettingVariable, type PlannedServer, type StartChoice } from "../contracts/startPlan.js";
import type { StartedServer } from "../mcp/pool/earlyTransports.js";
import { defaultEnvironment } from "../mcp/pool/lineBuffer.js";
import { killGroup, spawnRegistered, unregisterGroup } from "../mcp/pool/processRegistry.js";
import { isSet, lookAgain } from "../store/observedFiles.js";

/** A plan as its file holds it: the choice, the command line and folder it was made for, and the lead that made it. */
export interface StartPlan extends StartChoice {
  plan: 2;
  argv: string[];
  cwd: string;
  /** The lead's path, and its signature as loaded (leadSignature). */
  lead: [string, string];
}

/**
 * What a lead file is known by: device, inode, size, modification and change times. The change time counts here (a
 * copy that keeps the other four is another build); nothing links the lead as the sandbox links a skill's files.
 */
export function leadSignature(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/** The servers a plan started, and what ends those nobody took over. */
export interface PlanStart {
  servers: StartedServer[];
  /** Ends the processes the lead did not take over (it did not load, or failed first). */
  endUntaken(): void;
}

/** What stands for an --input value in a plan's command line: the lead's choice is the same for any of the kind. */
const INPUT_KINDS = { json: "\u0000json", file: "\u0000@file" } as const;

/**
 * The command line (without node and the script) as a plan is made for it, or undefined when it has none. The value
 * of its one `--input` stands for its kind, valid JSON text or an @file: the lead's choice does not depend on the
 * value (src/cli/early/run.ts only checks that the text parses), so a run of a skill with another input starts from
 * the same plan, and the plan never holds an input (it may be personal data). A command line with an input in any
 * other form (two of them, `--input=...`, a value that is neither), or with anything after `--` (the run ignores it,
 * and it may be data too), has no plan.
 */
export function planArgv(argv: readonly string[]): string[] | undefined {
  if (argv.includes("--")) return undefined;
  const inputs = argv.filter((token) => token.startsWith("--input"));
  if (inputs.length === 0) return [...argv];
  const at = argv.indexOf("--input");
  const value = argv[at + 1];
  if (inputs.length > 1 || at < 0 || value === undefined) return undefined;
  let kind: string | undefined;
  if (value.startsWith("@")) kind = INPUT_KINDS.file;
  else if (!value.startsWith("-")) {
    try {
      JSON.parse(value);
      kind = INPUT_KINDS.json;
    } catch {
      kind = undefined;
    }
  }
  return kind === undefined ? undefined : argv.map((token, index) => (index === at + 1 ? kind : token));
}

/**
 * The plan's text for `choice`, made for `argv` (without node and the script) in `cwd` by the lead at `lead.file`;
 * `lead.stats`: what fstat said of the file that was compiled, not of the one there now (a build may have replaced it
 * while the command ran, and its choice may differ).
 */
export function planText(
  choice: StartChoice,
  argv: readonly string[],
  cwd: string,
  lead: { file: string; stats: Stats },
): string {
  const plan: StartPlan = {
    plan: 2,
    argv: [...argv],
    cwd,
    lead: [lead.file, leadSignature(lead.stats)],
    files: choice.files,
    env: choice.env,
    present: choice.present,
    servers: choice.servers,
  };
  return `${JSON.stringify(plan)}\n`;
}

/**
 * The plan in `text` when it is one for `argv` in `cwd`, made by the lead at `leadFile` (another install's plan is
 * not this one's), and everything it went by is as it was; else undefined.
 */
export function currentPlan(
  text: string,
  argv: readonly string[],
  cwd: string,
  leadFile: string,
): StartPlan | undefined {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlan(plan) || plan.cwd !== cwd || plan.lead[0] !== leadFile) return undefined;
  let lead: Stats | undefined;
  try {
    lead = statSync(leadFile);
  } catch {
    return undefined;
  }
  if (leadSignature(lead) !== plan.lead[1]) return undefined;
  if (plan.argv.length !== argv.length) return undefined;
  if (plan.argv.some((arg, index) => arg !== argv[index])) return undefined;
  for (const [name, value] of plan.env) if ((process.env[name] ?? null) !== value) return undefined;
  for (const [name, set] of plan.present) if (isSet(process.env[name]) !== set) return undefined;
  for (const [path, found] of plan.files) if (lookAgain(path, found) !== found) return undefined;
  return plan;
}

// child_process is loaded only when a plan starts something: ~1-2 ms that most starts of a program do not need.
const requireBuiltin = createRequire(process.execPath);

/** Spawns the plan's servers as the client pool would (src/mcp/pool/stdioTransport.ts); never throws. */
export function startPlanned(plan: StartPlan): PlanStart {
  const servers: (StartedServer & { held: boolean })[] = [];
  let spawn: typeof import("node:child_process").spawn;
  try {
    spawn = (requireBuiltin("node:child_process") as typeof import("node:child_process")).spawn;
  } catch {
    return { servers: [], endUntaken: () => undefined };
  }
  for (const server of plan.servers) {
    try {
      mkdirSync(server.mkdir, { recursive: true });
    } catch {
      // the lead tries again, and the server says what it misses
    }
    let child: ChildProcess;
    try {
      child = spawnRegistered(() =>
        spawn(server.command, server.args, {
          cwd: server.cwd,
          env: defaultEnvironment(),
          stdio: ["pipe", "pipe", "pipe"],
          detached: true,
          windowsHide: true,
        }),
      );
    } catch {
      continue;
    }
    const pid = child.pid;
    if (pid === undefined) {
      // Not started (the command is gone): the lead spawns it again and the run reports why it cannot.
      child.on("error", () => undefined);
      continue;
    }
    const entry = {
      spec: { command: server.command, args: server.args, env: {}, cwd: server.cwd },
      child,
      held: true,
      release() {
        if (!entry.held) return;
        entry.held = false;
        unregisterGroup(pid);
      },
    };
    servers.push(entry);
  }
  return {
    servers,
    endUntaken() {
      for (const entry of servers) {
        if (!entry.held) continue;
        const pid = entry.child.pid!;
        const ended = () => {
          // Stragglers of the group go with their leader.
          killGroup(pid, "SIGKILL");
          entry.release();
        };
        // One that has exited already (its 'exit' came while nobody listened) is let go of now.
        if (entry.child.exitCode !== null || entry.child.signalCode !== null) {
          ended();
          continue;
        }
        entry.child.once("exit", ended);
        // A pipe to a process that is going away may fail (EPIPE): nothing to report.
        entry.child.stdin?.on("error", () => undefined);
        entry.child.stdin?.end();
        killGroup(pid, "SIGTERM");
      }
    },
  };
}

function isPlan(value: unknown): value is StartPlan {
  if (typeof value !== "object" || value === null) return false;
  const plan = value as Record<string, unknown>;
  return (
    plan.plan === 2 &&
    typeof plan.cwd === "string" &&
    isStrings(plan.lead) &&
    plan.lead.length === 2 &&
    isStrings(plan.argv) &&
    Array.isArray(plan.files) &&
    plan.files.every((entry) => isStrings(entry) && entry.length === 2) &&
    Array.isArray(plan.env) &&
    plan.env.every(
      (entry) =>
        Array.isArray(entry) &&
        entry.length === 2 &&
        typeof entry[0] === "string" &&
        isSettingVariable(entry[0]) &&
        (typeof entry[1] === "string" || entry[1] === null),
    ) &&
    Array.isArray(plan.present) &&
    plan.present.every(
      (entry) =>
        Array.isArray(entry) && entry.length === 2 && typeof entry[0] === "string" && typeof entry[1] === "boolean",
    ) &&
    Array.isArray(plan.servers) &&
    plan.servers.length > 0 &&
    plan.servers.every(isPlannedServer)
  );
}

function isPlannedServer(value: unknown): value is PlannedServer {
  if (typeof value !== "object" || value === null) return false;
  const server = value as Record<string, unknown>;
  return (
    typeof server.command === "string" &&
    isStrings(server.args) &&
    typeof server.cwd === "string" &&
    typeof server.mkdir === "string"
  );
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
