/**
 * The generated SDK a program imports (`from servers.<server> import <tool>`, `import { x } from "servers/<server>"`),
 * written once per distinct tool set under a content hash and reused by every later run.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { chmod, cp, mkdtemp, rename, rm } from "node:fs/promises";
import { promisify } from "node:util";
import { dirname, join } from "node:path";
import type { ToolInfo } from "../contracts/tools.js";
import { fillOnce, ownedCacheDir } from "./cacheDir.js";
import { removeAtTeardown } from "./teardown.js";
import { loadRuntimeSources } from "./runtimeFiles.js";
import { SDK_FORMAT_VERSION } from "../core/codegen/version.js";
import { transpileDirect } from "./transpile.js";

/**
 * The layout of the trees kept here, beyond the generated files: 2 adds each TypeScript module's JavaScript beside it
 * (and servers/package.json saying they are ES modules), which transpiled programs import at run time.
 */
const TREE_FORMAT = 2;

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

/** Code-unit order: the same on every machine (localeCompare follows the locale, and its first call costs ~10 ms). */
const byKey = (a: ToolInfo, b: ToolInfo): number => {
  const x = `${a.server}/${a.name}`;
  const y = `${b.server}/${b.name}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

export function toolsHash(tools: ToolInfo[]): string {
  const canonical = [...tools]
    .sort(byKey)
    .map((t) => [
      t.server,
      t.name,
      t.description ?? "",
      t.inputSchema,
      t.outputSchema ?? null,
      t.serverInfo?.version ?? "",
    ]);
  runtimeHash ??= createHash("sha256")
    .update(`sdk-format:${SDK_FORMAT_VERSION}\ntree-format:${TREE_FORMAT}\n`)
    .update(loadRuntimeSources().python)
    .update(loadRuntimeSources().ts)
    .digest("hex");
  return createHash("sha256").update(runtimeHash).update(JSON.stringify(canonical)).digest("hex").slice(0, 24);
}

const DEFAULT_PYTHON = "/usr/bin/python3";
const run = promisify(execFile);
const inflight = new Map<string, Promise<string>>();

/** Absolute host path of the SDK tree for these tools (the folder that contains `servers/`). */
export function ensureSdk(tools: ToolInfo[]): Promise<string> {
  const hash = toolsHash(tools);
  const root = sdkRoot();
  const dir = join(root, hash);
  // The tree with the Python modules' bytecode, once it is made; until then the tree without it.
  const compiled = `${dir}${COMPILED}`;
  if (existsSync(join(compiled, "servers"))) return Promise.resolve(compiled);
  if (existsSync(join(dir, "servers"))) {
    compileSoon(root, dir);
    return Promise.resolve(dir);
  }
  let pending = inflight.get(hash);
  if (!pending) {
    pending = writeTree(root, dir, tools)
      .then((written) => {
        compileSoon(root, written);
        return written;
      })
      .finally(() => inflight.delete(hash));
    inflight.set(hash, pending);
  }
  return pending;
}

const COMPILED = "-py";
const compiling = new Set<string>();

/**
 * Makes `<tree>-py`: a copy of the tree with bytecode for its Python modules, named as the sandbox sees them (/sdk/...),
 * so runs do not compile them. In the background (compileall takes ~0.1 s): the run that made the tree does not wait
 * for it, later runs use the copy. Built in a temp folder and renamed into place, so a run never links a tree that is
 * half compiled. Best-effort: without it runs compile in memory.
 */
function compileSoon(root: string, dir: string): void {
  if (compiling.has(dir) || !existsSync(DEFAULT_PYTHON)) return;
  compiling.add(dir);
  void (async () => {
    const temp = await mkdtemp(join(root, ".tmp-"));
    const forget = removeAtTeardown(temp);
    try {
      await cp(dir, temp, { recursive: true });
      await run(DEFAULT_PYTHON, ["-I", "-m", "compileall", "-q", "-d", "/sdk", temp], { timeout: 20_000 });
      // compileall makes __pycache__ folders with the umask; the sandbox uid must read them.
      await run("chmod", ["-R", "a+rX", temp]);
      await chmod(temp, 0o755);
      await rename(temp, `${dir}${COMPILED}`).catch((error: unknown) => {
        if (!existsSync(`${dir}${COMPILED}`)) throw error;
      });
    } finally {
      await rm(temp, { recursive: true, force: true });
      forget();
    }
  })().catch(() => undefined);
}

/**
 * Each TypeScript module of the tree as JavaScript (`x.ts` -> `x.js`), or none at all when one cannot be made (no
 * esbuild executable): then programs that import the SDK are bundled instead.
 */
async function javascriptOf(files: { path: string; content: string }[]): Promise<{ path: string; content: string }[]> {
  const modules = files.filter((file) => file.path.endsWith(".ts"));
  const out: { path: string; content: string }[] = [];
  for (let i = 0; i < modules.length; i += 4) {
    const batch = await Promise.all(
      modules.slice(i, i + 4).map(async (file) => {
        const outcome = await transpileDirect(file.content, { loader: "ts", timeoutMs: 20_000 });
        return outcome.ok ? { path: file.path.replace(/\.ts$/, ".js"), content: outcome.code } : undefined;
      }),
    );
    for (const item of batch) {
      if (!item) return [];
      out.push(item);
    }
  }
  return out.length > 0 ? [...out, { path: "servers/package.json", content: '{ "type": "module" }\n' }] : [];
}

async function writeTree(root: string, dir: string, tools: ToolInfo[]): Promise<string> {
  codegen ??= import("../core/codegen/index.js");
  const { generateSdk } = await codegen;
  const generated = generateSdk(tools, { lang: "both", runtime: loadRuntimeSources() });
  const files = [...generated, ...(await javascriptOf(generated))];
  return fillOnce(root, dir, (temp) => {
    for (const file of files) {
      const target = join(temp, file.path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      writeFileSync(target, file.content, { mode: 0o644 });
    }
    if (!existsSync(join(temp, "servers", "__init__.py"))) writeFileSync(join(temp, "servers", "__init__.py"), "");
  });
}
