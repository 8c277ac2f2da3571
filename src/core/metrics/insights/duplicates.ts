/**
 * Near-duplicate skills: two skills of the library that declare (almost) the same tools and whose code is alike.
 * Code is compared as sets of token 4-grams after comments, strings and numbers are blanked, so renamed strings and
 * reformatting do not hide a copy, and two short skills that merely call the same tool are not flagged by tools alone.
 */
import { round } from "../stats.js";
import type { Analysis, Confidence, Insight } from "./types.js";

const MIN_CODE_SIMILARITY = 0.6;
const MIN_TOOL_SIMILARITY = 0.75;

export const nearDuplicates: Analysis = (sources) => {
  const skills = sources.library.map((skill) => ({
    skill,
    tools: new Set(skill.tools),
    grams: shingles(skill.code),
  }));
  const out: Insight[] = [];
  for (let i = 0; i < skills.length; i++) {
    for (let j = i + 1; j < skills.length; j++) {
      const a = skills[i]!;
      const b = skills[j]!;
      if (a.tools.size === 0 && b.tools.size === 0) continue;
      const tools = jaccard(a.tools, b.tools);
      if (tools < MIN_TOOL_SIMILARITY) continue;
      const code = jaccard(a.grams, b.grams);
      if (code < MIN_CODE_SIMILARITY) continue;
      const confidence: Confidence = tools === 1 && code >= 0.85 ? "high" : "medium";
      const [x, y] = a.skill.name <= b.skill.name ? [a.skill, b.skill] : [b.skill, a.skill];
      const first = x.name;
      const second = y.name;
      out.push({
        kind: "near-duplicate",
        subject: `${first} ~ ${second}`,
        title: `${first} and ${second} call ${tools === 1 ? "the same tools" : "nearly the same tools"} with ${Math.round(code * 100)}% similar code`,
        recommendation: `Merge them into one skill with an input option for what differs, or say in each SKILL.md when to use which.`,
        command: `diff -u ${x.entryPath} ${y.entryPath}`,
        confidence,
        score: round(2 * code * tools, 3),
        evidence: {
          skills: [first, second],
          toolSimilarity: round(tools, 3),
          codeSimilarity: round(code, 3),
          sharedTools: [...a.tools].filter((t) => b.tools.has(t)).sort(),
        },
      });
    }
  }
  return out;
};

/** Token 4-grams of the code with comments, string contents and numbers blanked. */
export function shingles(code: string): Set<string> {
  const blanked = code
    .replace(/("""|''')[\s\S]*?\1/g, '""')
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/(^|\s)(#|\/\/)[^\n]*/g, " ")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\b\d+(?:\.\d+)?\b/g, "0");
  const tokens = blanked.match(/[A-Za-z_$][\w$]*|""|\d+|[^\s\w]/g) ?? [];
  const grams = new Set<string>();
  for (let i = 0; i + 4 <= tokens.length; i++) grams.add(tokens.slice(i, i + 4).join(" "));
  if (grams.size === 0 && tokens.length > 0) grams.add(tokens.join(" "));
  return grams;
}

export function jaccard<T>(a: Set<T>, b: Set<T>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}
