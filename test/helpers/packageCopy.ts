/**
 * A copy of the package a normal user can run: the repository may sit under a folder only root can enter (a private
 * home, CI's 0700 clone), where uid 1000 can neither read bin/skills.js nor reach node_modules through a link. The
 * package's files are copied; node_modules is hard-linked file by file (`cp -al`: no data copied, and the new folders
 * are root's with their usual 0755), or copied where hard links cannot cross file systems.
 */
import { spawnSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./cli.js";

export const PACKAGE_FILES = ["bin", "dist", "runtime", "schemas", "templates", "skills", "package.json", ".mcp.json"];

/**
 * Copies the package into `dir` (which must exist); node_modules too unless `modules` is false. With `link`, its
 * files are hard-linked as node_modules' are (40 MB of dist/ not copied): for a copy whose files nobody chowns or
 * writes in place (the CLI writes its files through a temporary file renamed over).
 */
export function copyPackage(dir: string, options: { modules?: boolean; link?: boolean } = {}): void {
  if (options.link !== true || hardLink(PACKAGE_FILES, dir) !== undefined) {
    for (const entry of PACKAGE_FILES) cpSync(join(REPO, entry), join(dir, entry), { recursive: true });
  }
  if (options.modules !== false) linkModules(dir);
}

/** `dir/node_modules`: hard links to this repository's (a real copy when they cannot be made). */
export function linkModules(dir: string): void {
  const failed = hardLink(["node_modules"], dir);
  if (failed === undefined) return;
  const copied = spawnSync("cp", ["-a", join(REPO, "node_modules"), join(dir, "node_modules")], { encoding: "utf8" });
  if (copied.status !== 0) throw new Error(`cannot copy node_modules: ${failed}${copied.stderr}`);
}

/**
 * Hard-links these entries of this repository into `dir` (`cp -al`); undefined when it did, else cp's complaint,
 * with what it linked before it failed removed: a copy over a link would write into this repository's file.
 */
function hardLink(entries: string[], dir: string): string | undefined {
  const linked = spawnSync("cp", ["-al", ...entries.map((entry) => join(REPO, entry)), dir], { encoding: "utf8" });
  if (linked.status === 0) return undefined;
  for (const entry of entries) rmSync(join(dir, entry), { recursive: true, force: true });
  return linked.stderr;
}
