/**
 * A skill folder built aside and put in place in one step. The staged folder has the skill's own name (so it can be
 * validated as it will be), inside a hidden folder next to the target that skill searches never enter. publish()
 * renames it into place; replacing an existing skill moves the old folder aside first and puts it back if the move
 * fails. Readers see the old skill or the new one, never a mix.
 */
import { randomBytes } from "node:crypto";
import { cp, lstat, mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { SkillsError } from "../errors.js";
import { writeFileAtomic } from "./atomicWrite.js";

export interface StagedSkillFolder {
  /** The staged folder: write and validate here. */
  readonly dir: string;
  write(files: Record<string, string>, remove?: string[]): Promise<void>;
  /** Puts the staged folder at the target. */
  publish(): Promise<void>;
  /** Removes everything staged (also after publish). */
  discard(): Promise<void>;
}

/**
 * Stages `target`. `replace`: the target exists and is copied first (its other files stay); otherwise it must not
 * exist (SKILL_EXISTS).
 */
export async function stageSkillFolder(target: string, options: { replace: boolean }): Promise<StagedSkillFolder> {
  const parent = dirname(target);
  const existing = await lstat(target).catch(() => undefined);
  if (existing && !options.replace) {
    throw new SkillsError("SKILL_EXISTS", `${target} already exists; nothing was changed`, { file: target });
  }
  if (options.replace && !existing?.isDirectory()) {
    throw new SkillsError(
      "INVALID_ARGUMENT",
      `${target} is ${existing?.isSymbolicLink() ? "a link" : "not a folder"}; only a real skill folder can be replaced`,
      { file: target },
    );
  }
  await mkdir(parent, { recursive: true });
  const root = join(parent, `.${basename(target)}.save-${process.pid}-${randomBytes(4).toString("hex")}`);
  const dir = join(root, basename(target));
  await mkdir(root, { mode: 0o755 });
  try {
    if (options.replace) await cp(target, dir, { recursive: true, verbatimSymlinks: true, errorOnExist: true });
    else await mkdir(dir);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const discard = () => rm(root, { recursive: true, force: true });
  return {
    dir,
    async write(files, remove = []) {
      for (const file of remove) await rm(join(dir, file), { force: true });
      for (const [file, content] of Object.entries(files)) await writeFileAtomic(join(dir, file), content);
    },
    async publish() {
      if (!options.replace) {
        try {
          await rename(dir, target);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ENOTEMPTY" || code === "EEXIST") {
            throw new SkillsError("SKILL_EXISTS", `${target} appeared while the skill was saved; nothing was changed`, {
              file: target,
            });
          }
          throw error;
        }
        return;
      }
      const old = join(root, ".previous");
      await rename(target, old);
      try {
        await rename(dir, target);
      } catch (error) {
        await rename(old, target);
        throw error;
      }
    },
    discard,
  };
}
