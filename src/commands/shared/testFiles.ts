/**
 * A skill's test files as `skills validate` reads them: `tests/*.yaml` in name order, each read and parsed into its
 * cases. A file that cannot be read or does not parse is left out: `skills test` reports it, with its own code.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { LoadedSkill } from "../../contracts/skill.js";
import { parseTestDocument } from "../../core/testing/parseTestFile.js";
import type { Locate } from "../../core/yaml/index.js";
import type { LocatedTestCase } from "../../core/testing/types.js";
import { readTextFile } from "../../store/readTextFile.js";

export interface ReadTestFile {
  /** The file as the user names it (`skills/<name>/tests/basic.yaml`). */
  file: string;
  text: string;
  cases: LocatedTestCase[];
  /** Positions in the file (the same parse as the cases). */
  locate: Locate;
  /** Whether the cases are under `cases:`: a case's pointer is then `/cases/<index>`. */
  listed: boolean;
}

export async function readTestFiles(skill: LoadedSkill, shown: string, strict: boolean): Promise<ReadTestFile[]> {
  const names = (await readdir(join(skill.dir, "tests")).catch(() => [] as string[])).filter((name) =>
    /\.ya?ml$/.test(name),
  );
  const files: ReadTestFile[] = [];
  for (const name of names.sort()) {
    const file = join(shown, "tests", name);
    const read = await readTextFile(join(skill.dir, "tests", name), file, strict);
    if (!read.ok) continue;
    const parsed = parseTestDocument(read.text, file);
    if (parsed.result.ok && parsed.locate) {
      files.push({ file, text: read.text, cases: parsed.result.value, locate: parsed.locate, listed: parsed.listed });
    }
  }
  return files;
}
