/** Reading and writing cassette files (cassettes/<name>.json in a skill folder). */
import { readFile } from "node:fs/promises";
import type { ValidationResult } from "../../contracts/problem.js";
import { parseCassette } from "../../core/testing/parseCassette.js";
import type { Cassette } from "../../core/testing/types.js";
import { writeFileAtomic } from "../../store/atomicWrite.js";

export async function readCassette(path: string, displayPath = path): Promise<ValidationResult<Cassette>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    return {
      ok: false,
      errors: [
        {
          severity: "error",
          code: missing ? "CASSETTE_MISSING" : "CASSETTE_INVALID",
          message: missing ? "cassette not found" : `cannot read the cassette: ${(error as Error).message}`,
          file: displayPath,
          line: 1,
          column: 1,
          pointer: "",
          hint: "record it with `skills test --record`, or mark the case `live: true`",
        },
      ],
      warnings: [],
    };
  }
  return parseCassette(text, displayPath);
}

/** Cassettes hold what the servers really returned (real personal data, perhaps): mode 0600, only the owner reads. */
export const CASSETTE_MODE = 0o600;

export async function writeCassette(path: string, cassette: Cassette): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(cassette, null, 2)}\n`, CASSETTE_MODE);
}
