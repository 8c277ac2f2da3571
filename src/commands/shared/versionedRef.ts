/**
 * A skill argument that names a released version (`name@version`), told apart from a name or a path before the git
 * code (simple-git and the release lookup, skillVersion.ts) is loaded: a run of the work tree's skill never needs it.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseVersionedRef } from "../../core/versioning/tags.js";
import type { SkillVersion } from "./skillVersion.js";

/** The released version's unpacked folder; undefined for anything else (an existing folder called `x@1` stays a path). */
export async function versionedSkillDir(cwd: string, ref: string): Promise<SkillVersion | undefined> {
  const parsed = parseVersionedRef(ref);
  if (!parsed || existsSync(resolve(cwd, ref))) return undefined;
  const { resolveSkillVersion } = await import("./skillVersion.js");
  return resolveSkillVersion({ cwd, name: parsed.name, version: parsed.spec });
}
