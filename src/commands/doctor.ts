/**
 * `skills doctor`: what this machine gives the sandbox (bwrap, user namespaces, setpriv, prlimit, cgroups), the
 * interpreters, whether the CLI can keep its code cache, and with `servers: true` whether every server of the
 * project's .mcp.json starts and lists tools.
 */
import { execFile } from "node:child_process";
import { SkillsError } from "../errors.js";
import { loadMcpConfig } from "../mcp/config.js";
import { createClientPool } from "../mcp/pool.js";
import { type BindCheck, type TrialRun, checkBinds, detectIsolation, trialRuns } from "../sandbox/index.js";
import { type CodeCacheFolder, codeCacheFolder } from "../store/codeCacheFolder.js";
import { loadProjectConfig } from "../store/config.js";

export interface DoctorOptions {
  cwd: string;
  /** Start every configured server and list its tools. */
  servers?: boolean;
  configPath?: string;
  /** Per-server time limit for --servers. */
  serverTimeoutMs?: number;
}

export type IsolationReport = Awaited<ReturnType<typeof detectIsolation>>;

export interface InterpreterCheck {
  name: string;
  path: string;
  version?: string;
  ok: boolean;
  error?: string;
}

export interface ServerCheck {
  name: string;
  ok: boolean;
  version?: string;
  tools?: number;
  ms: number;
  error?: string;
}

export interface DoctorResult {
  /** No check failed (isolation "process" is a warning unless the project requires isolation). */
  ok: boolean;
  isolation: IsolationReport;
  requireIsolation: boolean;
  interpreters: InterpreterCheck[];
  /** Every host path a run binds, checked for the run's own uid (a private checkout or home blocks it). */
  binds: BindCheck[];
  /** One trivial program per language through the real sandbox. */
  trial: TrialRun[];
  /** The folder of the CLI's code cache: in use, refused (each command then compiles all its code), or off. */
  codeCache: CodeCacheFolder;
  servers?: ServerCheck[];
  /** Where the servers came from, when checked. */
  mcpConfig?: string;
  problems: string[];
  /** Not failures, but worth knowing (e.g. process isolation when the project does not require bwrap). */
  warnings: string[];
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const config = await loadProjectConfig(options.cwd);
  const [isolation, python] = await Promise.all([detectIsolation(true), checkPython(config.python)]);
  const node: InterpreterCheck = { name: "node", path: process.execPath, version: process.versions.node, ok: true };
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!python.ok) problems.push(`python: ${python.error}`);
  if (isolation.isolation !== "bwrap") {
    if (config.requireIsolation) {
      problems.push(
        "the project requires isolation (requireIsolation in skills.config.json) but only process isolation is available",
      );
    } else {
      warnings.push(
        "programs run with resource limits only: they can read your files and reach the network (docs/security.md says how to get bwrap)",
      );
    }
  }
  const binds = checkBinds(isolation, config.python);
  for (const bind of binds) if (!bind.ok) problems.push(`a run binds ${bind.path}, but ${bind.problem}`);
  const trial = python.ok ? await trialRuns(config.python) : [];
  for (const run of trial) if (!run.ok) problems.push(`a trial ${run.language} run failed: ${run.error}`);
  const codeCache = codeCacheFolder();
  if (codeCache.state === "refused") {
    const fix = codeCache.removable
      ? "remove it (the next command makes it again, private to you), or point TMPDIR at a folder of your own"
      : "point TMPDIR at a folder of your own";
    warnings.push(
      `the code cache folder ${codeCache.path} is not used: ${codeCache.reason}. Every command compiles all its code at ` +
        `start; ${fix}`,
    );
  }
  const result: DoctorResult = {
    ok: true,
    isolation,
    requireIsolation: config.requireIsolation,
    interpreters: [node, python],
    binds,
    trial,
    codeCache,
    problems,
    warnings,
  };
  if (options.servers) {
    const mcp = await loadMcpConfig({ cwd: options.cwd, configPath: options.configPath });
    result.mcpConfig = mcp.file;
    result.servers = await checkServers(mcp, options.serverTimeoutMs ?? 20_000);
    for (const server of result.servers) if (!server.ok) problems.push(`server ${server.name}: ${server.error}`);
  }
  result.ok = problems.length === 0;
  return result;
}

function checkPython(path: string): Promise<InterpreterCheck> {
  return new Promise((resolve) => {
    execFile(
      path,
      ["-S", "-I", "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
      { timeout: 10_000 },
      (error, stdout) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          resolve({
            name: "python",
            path,
            ok: false,
            error: code === "ENOENT" ? `${path} not found (set "python" in skills.config.json)` : error.message,
          });
        } else resolve({ name: "python", path, version: stdout.trim(), ok: true });
      },
    );
  });
}

async function checkServers(
  config: Awaited<ReturnType<typeof loadMcpConfig>>,
  timeoutMs: number,
): Promise<ServerCheck[]> {
  const names = Object.keys(config.servers);
  const pool = createClientPool(config, { servers: names, connectTimeoutMs: timeoutMs });
  try {
    return await Promise.all(
      names.map(async (name): Promise<ServerCheck> => {
        const started = performance.now();
        try {
          const tools = await pool.listTools([name]);
          const info = tools[0]?.serverInfo ?? (await pool.serverInfo(name));
          return { name, ok: true, version: info?.version, tools: tools.length, ms: elapsed(started) };
        } catch (error) {
          const message = error instanceof SkillsError || error instanceof Error ? error.message : String(error);
          return { name, ok: false, ms: elapsed(started), error: message };
        }
      }),
    );
  } finally {
    await pool.close();
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
