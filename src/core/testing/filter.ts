/**
 * `--filter PATTERN` selects cases by `skill/case`: a plain pattern is a substring, `*` and `?` make it a glob over
 * the whole id, and `/.../flags` is a regular expression.
 */

import { SkillsError } from "../../errors.js";

export function caseId(skill: string, caseName: string): string {
  return `${skill}/${caseName}`;
}

export function compileFilter(pattern: string | undefined): (id: string) => boolean {
  if (!pattern) return () => true;
  const slash = /^\/(.*)\/([gimsuy]*)$/s.exec(pattern);
  if (slash) {
    let regex: RegExp;
    try {
      regex = new RegExp(slash[1]!, slash[2]!.replace("g", ""));
    } catch (error) {
      throw new SkillsError(
        "INVALID_ARGUMENT",
        `--filter ${pattern} is not a valid regular expression: ${(error as Error).message}`,
        {
          hint: "write a substring, a glob like 'find-*/basic', or a valid /regex/",
        },
      );
    }
    return (id) => regex.test(id);
  }
  if (/[*?]/.test(pattern)) {
    const body = pattern
      .split("")
      .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("");
    const regex = new RegExp(`^${body}$`);
    return (id) => regex.test(id);
  }
  return (id) => id.includes(pattern);
}
