/** Splits SKILL.md into its YAML frontmatter and markdown body, keeping line numbers. */
import type { Problem } from "../../contracts/problem.js";
import { makeProblem } from "../validate/codes.js";

export interface SkillMdParts {
  /** The YAML between the `---` lines. */
  frontmatter: string;
  /** Lines before the frontmatter text in the file (the opening `---`, and a BOM-only line never counts). */
  frontmatterLineOffset: number;
  body: string;
  /** 1-based line where the body starts. */
  bodyLine: number;
}

export type SplitSkillMdResult = { ok: true; parts: SkillMdParts } | { ok: false; errors: Problem[] };

const FENCE = /^---[ \t]*$/;

export function splitSkillMd(text: string, file: string, strict: boolean): SplitSkillMdResult {
  const content = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const fail = (
    code: "SKILL_MD_EMPTY" | "FRONTMATTER_MISSING" | "FRONTMATTER_UNTERMINATED",
    message: string,
    line = 1,
  ) => ({
    ok: false as const,
    errors: [makeProblem({ code, message, file, line, column: 1 }, strict)],
  });
  if (content.trim() === "") return fail("SKILL_MD_EMPTY", "SKILL.md is empty");
  const lines = content.split(/\r?\n/);
  if (!FENCE.test(lines[0] ?? "")) {
    return fail(
      "FRONTMATTER_MISSING",
      "SKILL.md must start with a `---` line opening the YAML frontmatter (name, description)",
    );
  }
  const close = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (close === -1)
    return fail("FRONTMATTER_UNTERMINATED", "the frontmatter opened on line 1 is never closed with a `---` line");
  return {
    ok: true,
    parts: {
      frontmatter: lines.slice(1, close).join("\n"),
      frontmatterLineOffset: 1,
      body: lines.slice(close + 1).join("\n"),
      bodyLine: close + 2,
    },
  };
}
