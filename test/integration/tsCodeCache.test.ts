/**
 * The build's code cache of the TypeScript compiler (src/analysis/tsLoader.ts), on the built toolkit: a fresh process
 * loads the compiler from it and the compiler works; a cache made from another file, or one V8 refuses, is not used
 * and the compiler loads as usual.
 */
import { spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../helpers/cli.js";
import { runNodeScript } from "../helpers/nodeScript.js";

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "skills-tscache-"));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Loads the compiler with the loader in `analysisDir` in a fresh node; what it used, and a parse's verdict. */
function load(analysisDir: string): { fromCache: boolean; version: string; diagnostics: number } {
  const script = [
    `const { loadTypeScript, typeScriptFromCodeCache } = await import(${JSON.stringify(join(analysisDir, "tsLoader.js"))});`,
    "const ts = loadTypeScript();",
    'const file = ts.createSourceFile("/a.ts", "const a = [1, 2;\\n", ts.ScriptTarget.ES2022, true);',
    "console.log(JSON.stringify({ fromCache: typeScriptFromCodeCache(), version: ts.version, diagnostics: file.parseDiagnostics.length }));",
  ].join("\n");
  return JSON.parse(runNodeScript(script));
}

/** A copy of the built loader with its own cache files, resolving `typescript` from the repository. */
async function copyOfLoader(name: string, cache: Buffer, meta: string): Promise<string> {
  const root = join(work, name);
  await mkdir(join(root, "analysis"), { recursive: true });
  await symlink(join(REPO, "node_modules"), join(root, "node_modules"));
  await copyFile(join(REPO, "dist/analysis/tsLoader.js"), join(root, "analysis/tsLoader.js"));
  await writeFile(join(root, "analysis/typescript.codecache"), cache);
  await writeFile(join(root, "analysis/typescript.codecache.json"), meta);
  return join(root, "analysis");
}

describe("the TypeScript compiler's code cache", () => {
  const version = () =>
    (
      JSON.parse(
        spawnSync(process.execPath, ["-p", "JSON.stringify(require('typescript/package.json'))"], {
          cwd: REPO,
          encoding: "utf8",
        }).stdout,
      ) as { version: string }
    ).version;

  it("is what a fresh process loads the compiler from, and the compiler parses", () => {
    expect(load(join(REPO, "dist/analysis"))).toEqual({ fromCache: true, version: version(), diagnostics: 1 });
  });

  it("is not used for another compiler file (version or size differ)", async () => {
    const cache = await readFile(join(REPO, "dist/analysis/typescript.codecache"));
    const meta = JSON.parse(await readFile(join(REPO, "dist/analysis/typescript.codecache.json"), "utf8"));
    const otherSize = await copyOfLoader("size", cache, JSON.stringify({ ...meta, size: meta.size + 1 }));
    expect(load(otherSize)).toEqual({ fromCache: false, version: version(), diagnostics: 1 });
    const otherVersion = await copyOfLoader("version", cache, JSON.stringify({ ...meta, version: "0.0.1" }));
    expect(load(otherVersion)).toEqual({ fromCache: false, version: version(), diagnostics: 1 });
  });

  it("is refused by V8 when damaged, and the compiler loads as usual", async () => {
    const meta = await readFile(join(REPO, "dist/analysis/typescript.codecache.json"), "utf8");
    const damaged = await copyOfLoader("damaged", Buffer.alloc(4096, 7), meta);
    expect(load(damaged)).toEqual({ fromCache: false, version: version(), diagnostics: 1 });
  });
});
