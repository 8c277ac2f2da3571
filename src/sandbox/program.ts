/**
 * Turns a RunRequest into what a worker executes: source text (Python) or one ES module (TS/JS). A TS/JS program
 * whose imports are node built-ins and the generated SDK only is transpiled by the esbuild executable (transpile.ts:
 * no file read, no node process to start) and imports the SDK's JavaScript at run time; any other program is
 * bundled by the bundler child (bundle.ts), which reads its imports inside the skill folder only.
 */
import { createHash, randomBytes } from "node:crypto";
import { constants, realpathSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { SkillsError } from "../errors.js";
import type { SkillLanguage } from "../contracts/skill.js";
import type { ToolInfo } from "../contracts/tools.js";
import { type BundledProgram, bundleProgram, exportNotebookResult } from "./bundle.js";
import { warmBundler } from "./bundler.js";
import { emptyFolder } from "./cacheDir.js";
import { ensureSdk } from "./sdk.js";
import { openedPath } from "./linkTree.js";
import { pointImports, staticImports } from "./moduleImports.js";
import { entryInside } from "./skillStage.js";
import { transpileDirect } from "./transpile.js";

/** Largest program source a run reads (the whole text travels to the worker in one message). */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

export interface PreparedProgram {
  /** The program; a transpiled one names SDK modules by SDK_MARKER until the worker's SDK folder is known. */
  code: string;
  /** File name for tracebacks, as the program sees it. */
  filename: string;
  /** Host folder holding the SDK (its basename is the hash under /sdk). */
  sdkDir: string;
  /** TS/JS: the bundle's source map, to read a failed run's stack in the program's own files and lines. */
  sourceMap?: string;
}

const bundles = new Map<string, BundledProgram>();

/**
 * Stands for the SDK folder in the import specifiers of a transpiled program, until hand-off says where the worker
 * sees it (/sdk, or the staged host folder under process isolation). NULs never occur in esbuild's output.
 */
export const SDK_MARKER = `\u0000skills-sdk-${randomBytes(6).toString("hex")}\u0000`;
const MARKED = new RegExp(`"${SDK_MARKER}/([^"]*)"`, "g");

/** The program's code with its SDK imports pointing into `sdkPath`, the SDK folder as the worker sees it. */
export function withSdkPath(code: string, sdkPath: string): string {
  if (!code.includes(SDK_MARKER)) return code;
  const base = pathToFileURL(sdkPath.endsWith("/") ? sdkPath : `${sdkPath}/`);
  return code.replace(MARKED, (_match, file: string) => JSON.stringify(new URL(file, base).href));
}
const MAX_CACHED_BUNDLES = 256;

export async function loadSource(request: {
  code?: string;
  entryFile?: string;
  skillDir?: string;
}): Promise<{ code: string; filename: string }> {
  if (request.code !== undefined) return { code: request.code, filename: request.entryFile ?? "<program>" };
  if (!request.entryFile) {
    throw new SkillsError("INVALID_ARGUMENT", "a run needs either code or entryFile", {
      hint: "pass code, or skillDir + entryFile",
    });
  }
  if (!request.skillDir) return { code: await readSourceFile(resolve(request.entryFile)), filename: request.entryFile };
  const path = entryInside(request.skillDir, request.entryFile);
  const root = realpathSync(resolve(request.skillDir));
  return { code: await readSourceFile(path, root, request.entryFile), filename: request.entryFile };
}

/**
 * Reads at most MAX_SOURCE_BYTES of a regular file; more is an error (a device or a huge file never fills memory).
 * With `root`, the file opened must really be inside it (checked on the open descriptor: a folder swapped for a
 * link after entryInside looked is caught).
 */
async function readSourceFile(path: string, root?: string, entry?: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    throw new SkillsError("NOT_FOUND", `the entry file ${path} does not exist`, {
      file: path,
      hint: "check manifest.yaml's entry",
    });
  }
  try {
    const opened = openedPath(handle.fd);
    if (root && relative(root, opened).startsWith("..")) {
      throw new SkillsError("ENTRY_OUTSIDE", `the entry file ${entry} is really ${opened}, outside the skill folder`, {
        file: path,
        hint: "the entry must be a file inside the skill folder, not reached through a link",
      });
    }
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new SkillsError("NOT_FOUND", `the entry file ${path} is not a regular file`, { file: path });
    }
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_SOURCE_BYTES) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_SOURCE_BYTES) {
      throw new SkillsError("INPUT_INVALID", `the entry file ${path} is over ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`, {
        file: path,
        hint: "a program's entry file must be smaller; load data from files at run time instead",
      });
    }
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** A cached bundle is reused only while every file it was built from is unchanged. */
function fresh(bundle: BundledProgram): boolean {
  return bundle.inputs.every((input) => {
    try {
      const stat = statSync(input.path);
      return stat.size === input.size && stat.mtimeMs === input.mtimeMs;
    } catch {
      return false;
    }
  });
}

export async function prepareProgram(options: {
  language: SkillLanguage;
  code: string;
  filename: string;
  tools: ToolInfo[];
  /** The SDK tree of `tools`, when the caller has it already. */
  sdkDir?: string;
  skillDir?: string;
  session?: boolean;
  /** The run's timeout, which bundling must keep to as well. */
  timeoutMs?: number;
}): Promise<PreparedProgram> {
  // Session cells always go through the bundler child: it starts while the SDK is found or generated.
  if (options.language !== "python" && options.session) warmBundler();
  const sdkDir = options.sdkDir ?? (await ensureSdk(options.tools));
  const inSandboxName =
    options.skillDir && options.filename !== "<program>" ? join("/skill", options.filename) : options.filename;
  if (options.language === "python") return { code: options.code, filename: inSandboxName, sdkDir };
  const key = createHash("sha256")
    .update(
      `${options.language}\0${sdkDir}\0${options.skillDir ?? ""}\0${options.session ? 1 : 0}\0${options.filename}\0`,
    )
    .update(options.code)
    .digest("hex");
  let bundle = bundles.get(key);
  let spentMs = 0;
  if (bundle === undefined && !options.session) {
    const started = performance.now();
    const direct = await transpileProgram(
      options.code,
      options.language,
      sdkDir,
      options.timeoutMs ?? 30_000,
      shownName(options.language, options.filename),
    );
    if (direct) {
      bundle = { code: direct.code, inputs: [], ...(direct.map ? { map: direct.map } : {}) };
      if (bundles.size >= MAX_CACHED_BUNDLES) bundles.delete(bundles.keys().next().value!);
      bundles.set(key, bundle);
      return { code: bundle.code, filename: inSandboxName, sdkDir, ...(bundle.map ? { sourceMap: bundle.map } : {}) };
    }
    // the bundler gets what is left of the run's timeout
    spentMs = performance.now() - started;
  }
  if (bundle === undefined || !fresh(bundle)) {
    bundle = await bundleProgram({
      code: options.code,
      language: options.language,
      sdkDir,
      // A program without a skill folder may import nothing but the SDK: its relative imports resolve in an empty
      // folder, never in the caller's working folder.
      resolveDir: options.skillDir ?? emptyFolder(),
      // The entry as the skill names it (`main.ts`, `src/main.ts`): errors and the source map use this name.
      filename: shownName(options.language, options.filename),
      session: options.session,
      timeoutMs: options.timeoutMs,
      spentMs,
    });
    if (bundles.size >= MAX_CACHED_BUNDLES) bundles.delete(bundles.keys().next().value!);
    bundles.set(key, bundle);
  }
  return { code: bundle.code, filename: inSandboxName, sdkDir, ...(bundle.map ? { sourceMap: bundle.map } : {}) };
}

/** The entry as the skill names it (`main.ts`, `src/main.ts`), or `program.ts` for code given inline. */
function shownName(language: SkillLanguage, filename: string): string {
  return filename === "<program>" ? `program.${language === "javascript" ? "js" : "ts"}` : filename;
}

/** Imports that are neither built-ins nor the SDK, or dynamic ones: the program will need the bundler child. */
const NEEDS_BUNDLER = /\bfrom\s*["'](?!servers[/"']|node:)|\bimport\s*\(|\brequire\s*\(|\bimport\s*["'](?!servers[/"']|node:)/;

/**
 * The fast path: the program transpiled by the esbuild executable, its SDK imports marked (SDK_MARKER), when all it
 * imports is node built-ins and the SDK; undefined when the bundler must do it (other imports, a syntax error whose
 * position the bundler reports, an SDK tree without JavaScript). A program that took the run's whole timeout to
 * transpile is a TIMEOUT, as it would be in the bundler.
 */
async function transpileProgram(
  code: string,
  language: SkillLanguage,
  sdkDir: string,
  timeoutMs: number,
  sourcefile: string,
): Promise<{ code: string; map?: string } | undefined> {
  // A program that imports anything but the SDK and built-ins (or may load modules some other way) is the
  // bundler's: started now, no transpiling first. The check is on the source, so it may send a program to the bundler
  // that did not need it (an import in a comment); never the other way: the transpiled module is checked again.
  if (NEEDS_BUNDLER.test(code)) {
    warmBundler();
    return undefined;
  }
  const source = exportNotebookResult(code);
  const outcome = await transpileDirect(source, {
    loader: language === "javascript" ? "js" : "ts",
    timeoutMs,
    sourcefile,
  });
  if (!outcome.ok) {
    if (outcome.stopped === "timeout") {
      throw new SkillsError("TIMEOUT", `transpiling the program took longer than the run's timeout (${timeoutMs} ms) and was stopped`, {
        hint: "raise --timeout or limits.timeout_ms",
      });
    }
    return undefined;
  }
  const imports = staticImports(outcome.code);
  const pointed = imports ? pointImports(outcome.code, imports, sdkDir, SDK_MARKER) : null;
  if (pointed === null) return undefined;
  return { code: pointed, ...(outcome.map ? { map: outcome.map } : {}) };
}
