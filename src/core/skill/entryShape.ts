/**
 * Whether an entry file has one of the two shapes a runner accepts: a `run(input)` function, or a notebook-style
 * script that assigns a top-level `result`. A text check, deliberately generous: it only catches entries with neither.
 */
import type { SkillLanguage } from "../../contracts/skill.js";

const PYTHON = [/^(async\s+)?def\s+run\s*\(/m, /^run\s*=/m, /^result\s*(:[^=\n]+)?=(?!=)/m];
const SCRIPT = [
  /\bexport\s+(default\s+)?(async\s+)?function\s*\*?\s*run\b/,
  /\bexport\s+(const|let|var)\s+run\b/,
  /\bexport\s*\{[^}]*\brun\b[^}]*\}/,
  /^\s*(export\s+)?((const|let|var)\s+)?result\s*(:[^=\n]+)?=(?!=)/m,
];

export function entryHasRunOrResult(language: SkillLanguage, source: string): boolean {
  const patterns = language === "python" ? PYTHON : SCRIPT;
  return patterns.some((pattern) => pattern.test(source));
}

export function expectedEntryShape(language: SkillLanguage): string {
  return language === "python"
    ? "define `def run(input):` returning the result, or assign a top-level `result = ...`"
    : "export `async function run(input)` returning the result, or assign a top-level `result`";
}
