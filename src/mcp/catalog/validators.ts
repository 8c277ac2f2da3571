/**
 * The argument validators of a server's tools, compiled once per cached tool list and kept beside it
 * (`catalog-<key>.validators.cjs`): ajv's standalone code for the `toolArguments` profile, made by the one validator
 * factory's precompiler (src/core/schema). A run loads the file and registers it with the factory instead of loading
 * ajv and compiling each schema on the program's first call. The file's first line is a fingerprint of the package
 * version and the tools' schemas: a file for another list, or from another version, is ignored and rewritten.
 *
 * The file is code the host runs, so it is read only when this user owns it and nobody else may write to it
 * (checked on the descriptor read), and only ever written by us, from schemas the factory would compile anyway.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import type { ToolInfo } from "../../contracts/tools.js";
import {
  evaluatePrecompiled,
  precompiledModule,
  registerPrecompiled,
  warmPrecompiler,
} from "../../core/schema/index.js";
import { writeFileAtomic } from "../../store/atomicWrite.js";
import { VERSION } from "../../version.js";

/** What useToolValidators reads of a catalog (catalog.ts's Catalog). */
interface CatalogView {
  tools: ToolInfo[];
  servers: Record<string, { cacheFile?: string }>;
}

const HEADER = "// skills tool argument validators";
/** Larger than any file the precompiler writes for a tool list; a bigger one is not ours. */
const MAX_BYTES = 64 * 1024 * 1024;

/** The validators file that belongs to a catalog cache file. */
export function validatorsPath(cacheFile: string): string {
  return cacheFile.replace(/\.json$/, ".validators.cjs");
}

function fingerprint(tools: ToolInfo[]): string {
  const hash = createHash("sha256").update(`${VERSION}\0`);
  for (const tool of tools) hash.update(JSON.stringify(tool.inputSchema)).update("\0");
  return hash.digest("hex");
}

/**
 * Loads the compiler writeToolValidators uses, on the next turn of the event loop: for a caller that waits for a
 * server's tool list and then writes its validators (the first run in a project, where nothing is cached yet), once
 * the server is spawned. The compiler loads while the server starts up, not after it answered.
 */
export function warmToolValidators(): void {
  setImmediate(() => {
    try {
      warmPrecompiler();
    } catch {
      // writeToolValidators meets it again; its failure costs speed only (the validators compile on use)
    }
  });
}

/** Compiles the tools' argument schemas and writes them beside the catalog file (temp + rename). */
export async function writeToolValidators(cacheFile: string, tools: ToolInfo[]): Promise<void> {
  const code = precompiledModule(
    tools.map((tool) => tool.inputSchema),
    "toolArguments",
  );
  await writeFileAtomic(validatorsPath(cacheFile), `${HEADER} ${fingerprint(tools)}\n${code}`, 0o644);
}

/**
 * Registers the precompiled validators of these tools when their file is current; false when there is none (or it
 * is stale, or not safe to run), and the factory compiles on use as before.
 */
export async function loadToolValidators(cacheFile: string, tools: ToolInfo[]): Promise<boolean> {
  let text: string;
  try {
    const handle = await open(
      validatorsPath(cacheFile),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
    try {
      const stat = await handle.stat();
      const uid = typeof process.getuid === "function" ? process.getuid() : stat.uid;
      if (!stat.isFile() || stat.uid !== uid || (stat.mode & 0o022) !== 0 || stat.size > MAX_BYTES) return false;
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
  const newline = text.indexOf("\n");
  if (text.slice(0, newline) !== `${HEADER} ${fingerprint(tools)}`) return false;
  try {
    registerPrecompiled("toolArguments", evaluatePrecompiled(text.slice(newline + 1)));
    return true;
  } catch {
    return false;
  }
}

/**
 * The validators of the selected servers' tools, for a run: loaded from beside the catalog; made and written there
 * when the list came from a cache written without them (an older version). Never fails a run: at worst the factory
 * compiles on use.
 */
export async function useToolValidators(catalog: CatalogView, servers: string[]): Promise<void> {
  await Promise.all(
    servers.map(async (name) => {
      const server = catalog.servers[name];
      if (!server?.cacheFile) return;
      const tools = catalog.tools.filter((tool) => tool.server === name);
      if (tools.length === 0 || (await loadToolValidators(server.cacheFile, tools))) return;
      try {
        await writeToolValidators(server.cacheFile, tools);
        await loadToolValidators(server.cacheFile, tools);
      } catch {
        // a read-only cache: compiled on use
      }
    }),
  );
}
