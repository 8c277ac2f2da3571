/**
 * Writes a new skill folder whole or not at all: the files go into a temporary folder next to the target, which is
 * renamed into place at the end; an existing folder is never touched (SKILL_EXISTS), and a failure leaves nothing.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { SkillsError } from "../../errors.js";
import { writeFileAtomic } from "../../store/atomicWrite.js";

/** Writes `files` (path relative to the skill folder -> content) as the folder `target`. */
export async function writeSkillFolder(target: string, files: Record<string, string>, cwd: string): Promise<void> {
  const parent = dirname(target);
  const shown = relative(cwd, target) || ".";
  const parentShown = relative(cwd, parent) || ".";
  if (await exists(target)) {
    throw new SkillsError("SKILL_EXISTS", `${shown} already exists; nothing was changed`, {
      file: shown,
      hint: "choose another name, or remove the folder first",
    });
  }
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw cannotWrite(parentShown, error);
  }
  const staging = join(parent, `.${basename(target)}.new-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    for (const [file, content] of Object.entries(files)) await writeFileAtomic(join(staging, file), content);
    if (await exists(target)) {
      throw new SkillsError(
        "SKILL_EXISTS",
        `${shown} appeared while the skill was being written; nothing was changed`,
        {
          file: shown,
        },
      );
    }
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTEMPTY" || code === "EEXIST") {
      throw new SkillsError("SKILL_EXISTS", `${shown} already exists; nothing was changed`, { file: shown });
    }
    if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "ENOSPC")
      throw cannotWrite(parentShown, error);
    throw error;
  }
}

function cannotWrite(folder: string, error: unknown): SkillsError {
  const code = (error as NodeJS.ErrnoException).code ?? "error";
  const reason = code === "EEXIST" || code === "ENOTDIR" ? "a file is in the way" : code;
  return new SkillsError("INVALID_ARGUMENT", `cannot create the skill in ${folder}: ${reason}; nothing was changed`, {
    file: folder,
    hint: "choose a writable folder with --dir",
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== "ENOENT" && code !== "ENOTDIR";
  }
}
