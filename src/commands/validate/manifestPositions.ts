/** Positions of the keys under `tools:` in a skill's manifest.yaml, for problems that point at a declared tool. */
import { join } from "node:path";
import type { LoadedSkill } from "../../contracts/skill.js";
import { escapePointerToken } from "../../core/json/index.js";
import { parseYaml, type Position } from "../../core/yaml/index.js";
import { readTextFile } from "../../store/readTextFile.js";

/**
 * `server/tool` -> where its key is: from the parse that loaded the skill when the caller has it, else from a new
 * parse (1:1 when the file no longer parses).
 */
export async function manifestPositions(
  skill: LoadedSkill,
  file: string,
  strict: boolean,
  known: ReadonlyMap<string, Position> | undefined,
): Promise<(key: string) => Position> {
  if (known) return (key) => known.get(key) ?? { line: 1, column: 1 };
  const read = await readTextFile(join(skill.dir, "manifest.yaml"), file, strict);
  const parsed = read.ok ? parseYaml(read.text, { file }) : undefined;
  if (!parsed?.ok) return () => ({ line: 1, column: 1 });
  return (key) => parsed.locate(`/tools/${escapePointerToken(key)}`, "key");
}
