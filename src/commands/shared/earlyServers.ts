/**
 * `skills run <skill>` starts its skill's MCP servers before it loads the code that runs the skill: a node server
 * takes a few hundred ms to answer, and that now overlaps the CLI's own start instead of following it. The servers are
 * read from the manifest's `tools:` keys with a line scan (the YAML parser is a large module to load first): a miss
 * only means a server starts at its usual time, and one started for nothing is ended when the command ends. The run
 * itself still reads the manifest properly; its client pool takes the processes started here (earlyTransports.ts).
 *
 * The choice is also kept as a start plan's content (startChoice): the files and variables it went by, and the
 * servers it started. The next start of the same command line starts those servers before it loads the lead, when
 * every one of those files and variables is as it was (src/cli/startPlan.ts).
 */
import { statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isSettingVariable, type PlannedServer, type StartChoice } from "../../contracts/startPlan.js";
import { loadMcpConfig } from "../../mcp/config.js";
import { closeEarlyTransports, startEarlyTransport } from "../../mcp/pool/earlyTransports.js";
import { loadProjectConfig } from "../../store/config.js";
import { resolveSkillRef } from "../../store/findSkills.js";
import { type Observations, observe, observedEnv } from "../../store/observedFiles.js";
import { readTextFileSync } from "../../store/readTextFile.js";

export interface EarlyServersOptions {
  cwd: string;
  /** The skill as the user named it: a name under the configured roots, or a folder. */
  ref: string;
  configPath?: string;
}

let choice: StartChoice | undefined;

/**
 * The last choice as a start plan's content, or undefined when there is none to keep: nothing was started, or the
 * choice went by something a plan cannot check (a folder listed, a variable other than a setting read for its value:
 * the plan would keep a secret in a file). A server with variables of its own in .mcp.json, or whose command line
 * takes one (`${TOKEN}`), is left out of it for the same reason: the lead starts it, as before.
 */
export function startChoice(): StartChoice | undefined {
  return choice;
}

/** Starts the servers the skill's manifest names; returns what ends those no run took. Never throws. */
export async function startSkillServersEarly(options: EarlyServersOptions): Promise<() => Promise<void>> {
  choice = undefined;
  try {
    // A --config that is no regular file (`--config /dev/stdin`, `<(...)`) can be read once: by the run, not here.
    if (options.configPath !== undefined && !statSync(resolve(options.cwd, options.configPath)).isFile()) {
      return closeEarlyTransports;
    }
    // The skill and .mcp.json are read side by side; a config that cannot be read starts nothing either way.
    const { value, seen } = await observe(() =>
      Promise.all([
        manifestServers(options, observedEnv(process.env)),
        loadMcpConfig({
          cwd: options.cwd,
          // Whether each variable is set decides whether the config is valid; the values go only into the command
          // lines of servers that take them, which the plan leaves out.
          env: observedEnv(process.env, "presence"),
          ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
        }).catch(() => undefined),
      ]),
    );
    const [servers, config] = value;
    if (servers.length === 0 || config === undefined) return closeEarlyTransports;
    const planned: PlannedServer[] = [];
    for (const name of servers) {
      const server = config.servers[name];
      if (!server || server.type === "http") continue;
      // As the pool does before it spawns: the default config keeps the memory server's file there.
      const dotSkills = join(config.dir, ".skills");
      await mkdir(dotSkills, { recursive: true }).catch(() => undefined);
      startEarlyTransport({ command: server.command, args: server.args, env: { ...server.env }, cwd: server.cwd });
      // Two names for one command start one process (earlyTransports.ts): the plan starts it once too.
      const same = (other: PlannedServer) =>
        other.command === server.command && other.cwd === server.cwd && sameStrings(other.args, server.args);
      const own = Object.keys(server.env).length > 0 || (server.variables?.length ?? 0) > 0;
      if (!own && !planned.some(same)) {
        planned.push({ command: server.command, args: [...server.args], cwd: server.cwd, mkdir: dotSkills });
      }
    }
    if (planned.length > 0 && repeatable(seen)) {
      // In one order whatever order the side-by-side reads finished in: a plan is written again only when it changed.
      const sorted = <T extends [string, unknown]>(entries: T[]): T[] =>
        entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : String(a[1]) < String(b[1]) ? -1 : 1));
      choice = {
        files: sorted([...seen.files]),
        env: sorted([...seen.env]),
        present: sorted([...seen.present]),
        servers: planned,
      };
    }
  } catch {
    // Nothing is started early; the run starts its servers itself and reports what goes wrong.
  }
  return closeEarlyTransports;
}

/** Whether a plan can check everything the choice went by, and keep it without a secret. */
function repeatable(seen: Observations): boolean {
  return seen.unrepeatable === undefined && [...seen.env.keys()].every(isSettingVariable);
}

const sameStrings = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, index) => item === b[index]);

/** The servers named by the manifest of the skill `ref` points at (none when there is no such skill). */
async function manifestServers(options: EarlyServersOptions, env: NodeJS.ProcessEnv): Promise<string[]> {
  // name@version is unpacked from a release tag by the run: not looked for here.
  if (options.ref.includes("@")) return [];
  // Found as the run finds it; a skill that is not there (the run reports it) starts nothing.
  const folder = await resolveSkillRef(options.ref, await loadProjectConfig(options.cwd, env), options.cwd).catch(
    () => undefined,
  );
  if (folder === undefined) return [];
  // As the run reads it: a regular file under the cap, opened without blocking (a FIFO would hold the start until
  // someone writes to it, before the run even loads).
  const manifest = readTextFileSync(join(folder, "manifest.yaml"), "manifest.yaml", false);
  return manifest.ok ? serversOfTools(manifest.text) : [];
}

const SERVER_OF_KEY = /^\s+["']?([A-Za-z0-9_.-]+)\//;

/** The servers of the tool keys under a manifest's top-level `tools:` (block or flow mapping), in order. */
export function serversOfTools(manifest: string): string[] {
  const lines = manifest.split(/\r?\n/);
  const at = lines.findIndex((line) => /^tools:/.test(line));
  if (at < 0) return [];
  const found = new Set<string>();
  const inline = lines[at]!.slice("tools:".length).replace(/#.*$/, "").trim();
  if (inline.startsWith("{")) {
    for (const match of inline.matchAll(/["']?([A-Za-z0-9_.-]+)\/[^:,}]+:/g)) found.add(match[1]!);
    return [...found];
  }
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === "" || /^\s*#/.test(line)) continue;
    if (!/^\s/.test(line)) break;
    const match = SERVER_OF_KEY.exec(line);
    if (match) found.add(match[1]!);
  }
  return [...found];
}
