/**
 * The reference MCP servers of a new project. They are dependencies of this package, so wherever the toolkit is
 * installed they are too: `skills init` links them into the project's node_modules (as `npm link` would), so the
 * `.mcp.json` it writes (`node_modules/.bin/mcp-server-*`, the same on every machine) starts them offline at once.
 * package.json lists them as devDependencies, so `npm install` — in CI, or later here — replaces the links with
 * installed copies. Nothing that exists is replaced.
 */
import { lstat, mkdir, readFile, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const REFERENCE_SERVERS = [
  { name: "@modelcontextprotocol/server-filesystem", bin: "mcp-server-filesystem" },
  { name: "@modelcontextprotocol/server-memory", bin: "mcp-server-memory" },
  { name: "@modelcontextprotocol/server-everything", bin: "mcp-server-everything" },
] as const;

const require = createRequire(import.meta.url);

interface PackageJson {
  name: string;
  version: string;
  bin?: Record<string, string> | string;
}

async function readPackage(dir: string): Promise<PackageJson> {
  return JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as PackageJson;
}

/** This package's name and version (it may be published under another name than `skills`). */
export async function ownPackage(): Promise<PackageJson> {
  return readPackage(fileURLToPath(new URL("../../../", import.meta.url)));
}

/** Where each reference server is installed beside this package, with its version. */
export async function installedServers(): Promise<{ name: string; bin: string; dir: string; version: string }[]> {
  return Promise.all(
    REFERENCE_SERVERS.map(async (server) => {
      const dir = dirname(require.resolve(`${server.name}/package.json`));
      return { ...server, dir, version: (await readPackage(dir)).version };
    }),
  );
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Links each server that the project does not have into its node_modules; returns the links made (relative). */
export async function linkServers(project: string): Promise<string[]> {
  const made: string[] = [];
  for (const server of await installedServers()) {
    const target = join(project, "node_modules", server.name);
    if (await exists(target)) continue;
    await mkdir(dirname(target), { recursive: true });
    await symlink(server.dir, target, "dir");
    made.push(relative(project, target));
    const pkg = await readPackage(server.dir);
    const entry = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.[server.bin];
    if (!entry) continue;
    const bin = join(project, "node_modules/.bin", server.bin);
    if (await exists(bin)) continue;
    await mkdir(dirname(bin), { recursive: true });
    await symlink(relative(dirname(bin), join(target, entry)), bin);
    made.push(relative(project, bin));
  }
  return made;
}
