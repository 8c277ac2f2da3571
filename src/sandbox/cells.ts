/** Splits a program into notebook cells at `# %%` (Python) or `// %%` (TS/JS) marker lines. */
import type { SkillLanguage } from "../contracts/skill.js";

export interface Cell {
  code: string;
  /** 1-based line of the cell's first line in the source. */
  line: number;
  /** Text after the marker (`# %% load data` -> "load data"), if any. */
  title?: string;
}

export function splitCells(source: string, language: SkillLanguage): Cell[] {
  const marker = language === "python" ? /^\s*#\s*%%(.*)$/ : /^\s*\/\/\s*%%(.*)$/;
  const lines = source.split(/\r?\n/);
  const cells: Cell[] = [];
  let current: string[] = [];
  let start = 1;
  let title: string | undefined;
  const flush = (): void => {
    const code = current.join("\n");
    if (code.trim() !== "") cells.push({ code, line: start, ...(title ? { title } : {}) });
  };
  lines.forEach((text, index) => {
    const match = marker.exec(text);
    if (match) {
      flush();
      current = [];
      start = index + 2;
      title = match[1]!.trim() || undefined;
    } else {
      current.push(text);
    }
  });
  flush();
  return cells;
}
