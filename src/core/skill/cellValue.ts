/**
 * The value of a notebook cell. Python gives a cell's last expression as its value by itself; for TypeScript and
 * JavaScript cells (`skills repl`, execute_code sessions) the last line, when it is a plain expression, is made the
 * cell's `result`. Pure text rules, good enough for a prompt.
 */
import type { SkillLanguage } from "../../contracts/skill.js";

const STATEMENT_START =
  /^(?:(?:const|let|var|function|async\s+function|class|import|export|if|else|for|while|do|switch|case|default|try|catch|finally|return|throw|type|interface|enum|declare|namespace|break|continue)\b|[{}]|\/\/|\/\*|\*)/;

/**
 * In a TS/JS block, a last line that is a plain expression becomes the block's value (`const result = (...)`), as
 * Python's last expression is: `base + 2` shows 42. Blocks that set `result` themselves are left alone.
 */
export function lastExpressionAsResult(code: string): string {
  if (/^\s*(?:export\s+)?(?:const|let|var)\s+result\b/m.test(code)) return code;
  const lines = code.replace(/\s+$/, "").split("\n");
  const last = lines[lines.length - 1] ?? "";
  const before = lines.slice(0, -1).join("\n");
  const expression = last.trim().replace(/;$/, "");
  if (!expression || /^\s/.test(last) || STATEMENT_START.test(expression)) return code;
  if (bracketDepth(before, "typescript") !== 0 || bracketDepth(expression, "typescript") !== 0) return code;
  if (/[=!<>]=|=>/.test(expression) === false && /(?<![=!<>])=(?!=)/.test(expression)) return code;
  return `${before ? `${before}\n` : ""}const result = (${expression});\n`;
}

/** Open brackets minus closed ones, skipping strings and comments (good enough for a prompt). */
export function bracketDepth(text: string, language: SkillLanguage): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'" || char === "`") quote = char;
    else if (char === "#" && language === "python") i = skipLine(text, i);
    else if (char === "/" && text[i + 1] === "/" && language !== "python") i = skipLine(text, i);
    else if (char === "(" || char === "[" || char === "{") depth++;
    else if (char === ")" || char === "]" || char === "}") depth--;
  }
  return depth;
}

function skipLine(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end < 0 ? text.length : end;
}
