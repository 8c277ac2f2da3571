/**
 * The generated SDK a program imports (`from servers.<server> import <tool>`, `import { x } from "servers/<server>"`),
 * written once per distinct tool set under a content hash and reused by every later run.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ToolInfo } from "../contracts/tools.js";
import { fillOnce, ownedCacheDir } from "./cacheDir.js";
import { loadRuntimeSources } from "./runtimeFiles.js";
import { SDK_FORMAT_VERSION } from "../core/codegen/version.js";

/** Codegen is loaded on first use: a run whose SDK tree is cached never pays for it. */
let codegen: Promise<typeof import("../core/codegen/index.js")> | undefined;

/**
 * Root of all cached SDK trees (`<tmp>/skills-sdk-<uid>`, 0711). A run never sees it: the tree of its own tool set
 * is linked into the run's folder and mounted at /sdk (other projects' trees, and the cache's host path, are none of
 * the program's business).
 */
export function sdkRoot(): string {
  return ownedCacheDir("skills-sdk");
}

let runtimeHash: string | undefined;

export function toolsHash(tools: ToolInfo[]): string {
  const canonical = [...tools]
    .sort((a, b) => `${a.server}/${a.name}`.localeCompare(`${b.server}/${b.name}`))
    .map((t) => [
      t.server,
      t.name,
      t.description ?? "",
      t.inputSchema,
      t.outputSchema ?? null,
      t.serverInfo?.version ?? "",
    ]);
  runtimeHash ??= createHash("sha256")
    .update(`sdk-format:${SDK_FORMAT_VERSION}\n`)
    .update(loadRuntimeSources().python)
    .update(loadRuntimeSources().ts)
    .digest("hex");
  return createHash("sha256").update(runtimeHash).update(JSON.stringify(canonical)).digest("hex").slice(0, 24);
}

const DEFAULT_PYTHON = "/usr/bin/python3";
const inflight = new Map<string, Promise<string>>();

/** Absolute host path of the SDK tree for these tools (the folder that contains `servers/`). */
export function ensureSdk(tools: ToolInfo[]): Promise<string> {
  const hash = toolsHash(tools);
  const root = sdkRoot();
  const dir = join(root, hash);
  if (existsSync(join(dir, "servers"))) return Promise.resolve(dir);
  let pending = inflight.get(hash);
  if (!pending) {
    pending = writeTree(root, dir, tools).finally(() => inflight.delete(hash));
    inflight.set(hash, pending);
  }
  return pending;
}

/** Bytecode for the generated Python modules, named as the sandbox sees them (/sdk/...), so runs do not compile them. */
function compilePython(dir: string): void {
  if (!existsSync(DEFAULT_PYTHON)) return;
  try {
    execFileSync(DEFAULT_PYTHON, ["-I", "-m", "compileall", "-q", "-d", "/sdk", dir], {
      stdio: "ignore",
      timeout: 20_000,
    });
    // compileall makes __pycache__ folders with the umask; the sandbox uid must read them.
    execFileSync("chmod", ["-R", "a+rX", dir], { stdio: "ignore" });
  } catch {
    // the runs compile in memory instead
  }
}

async function writeTree(root: string, dir: string, tools: ToolInfo[]): Promise<string> {
  codegen ??= import("../core/codegen/index.js");
  const { generateSdk } = await codegen;
  const files = generateSdk(tools, { lang: "both", runtime: loadRuntimeSources() });
  return fillOnce(root, dir, (temp) => {
    for (const file of files) {
      const target = join(temp, file.path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      writeFileSync(target, file.content, { mode: 0o644 });
    }
    if (!existsSync(join(temp, "servers", "__init__.py"))) writeFileSync(join(temp, "servers", "__init__.py"), "");
    compilePython(temp);
  });
}
