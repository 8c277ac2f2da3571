/**
 * The Agent Skills naming rule (agentskills.io, and its reference validator skills-ref), one check per way a name can
 * break it, each with its own message. Letters of any script count, as long as they are lowercase: `навык` and `技能`
 * are names; names are compared in Unicode NFKC form, as the reference validator does.
 */
import type { ProblemCode } from "./codes.js";

export const NAME_RULE =
  "1-64 lowercase letters (any script), digits and hyphens, not starting or ending with a hyphen, no `--`";
/** Words one vendor's upload API refuses in a name (the `claude` validation profile). */
export const RESERVED_WORDS = ["anthropic", "claude"] as const;
export const MAX_NAME_LENGTH = 64;

export interface NameIssue {
  code: Extract<ProblemCode, "NAME_INVALID" | "NAME_TOO_LONG" | "NAME_RESERVED">;
  /** What is wrong, without the rule (callers add NAME_RULE where it helps). */
  message: string;
}

/** The form names are checked and compared in: `cafe` + U+0301 and `café` are one name. */
export function normalizeSkillName(name: string): string {
  return name.normalize("NFKC");
}

/** Two names (or a name and a folder name) are the same skill name. */
export function sameSkillName(a: string, b: string): boolean {
  return normalizeSkillName(a) === normalizeSkillName(b);
}

const ALLOWED = /^[\p{L}\p{N}-]$/u;

/** Returns the first rule of the specification the name breaks, or undefined when it is a valid skill name. */
export function checkSkillName(raw: string): NameIssue | undefined {
  const shown = JSON.stringify(raw);
  if (raw.trim().length === 0) return { code: "NAME_INVALID", message: "name is empty" };
  const name = normalizeSkillName(raw);
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) {
    return {
      code: "NAME_TOO_LONG",
      message: `name ${shown} is ${length} characters long; the maximum is ${MAX_NAME_LENGTH}`,
    };
  }
  if (name !== name.toLowerCase()) {
    return {
      code: "NAME_INVALID",
      message: `name ${shown} contains uppercase letters: use lowercase (${name.toLowerCase()})`,
    };
  }
  const bad = [...name].filter((char) => !ALLOWED.test(char));
  if (bad.length > 0) {
    const shownChars = [...new Set(bad)].map((char) => (char === " " ? "a space" : JSON.stringify(char))).join(", ");
    return {
      code: "NAME_INVALID",
      message: `name ${shown} contains ${shownChars}: only letters, digits and hyphens are allowed`,
    };
  }
  if (name.startsWith("-") || name.endsWith("-")) {
    return { code: "NAME_INVALID", message: `name ${shown} starts or ends with a hyphen` };
  }
  if (name.includes("--")) {
    return { code: "NAME_INVALID", message: `name ${shown} contains consecutive hyphens (--)` };
  }
  return undefined;
}

/** The `claude` profile's rule: a name must not contain a reserved word. */
export function checkReservedName(name: string): NameIssue | undefined {
  const lower = normalizeSkillName(name).toLowerCase();
  const reserved = RESERVED_WORDS.find((word) => lower.includes(word));
  if (!reserved) return undefined;
  return { code: "NAME_RESERVED", message: `name ${JSON.stringify(name)} contains the reserved word "${reserved}"` };
}

/** A usable suggestion for a broken name (for hints and `skills new`); reserved words go too when asked. */
export function suggestSkillName(name: string, options: { dropReserved?: boolean } = {}): string {
  let cleaned = normalizeSkillName(name).toLowerCase();
  if (options.dropReserved) cleaned = cleaned.replace(new RegExp(RESERVED_WORDS.join("|"), "g"), "-");
  cleaned = cleaned.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
  cleaned = [...cleaned].slice(0, MAX_NAME_LENGTH).join("").replace(/-+$/g, "");
  return cleaned || "my-skill";
}

/** The rule, plus a name that follows it. */
export function nameHint(name: string): string {
  return `a name must be ${NAME_RULE}, e.g. ${suggestSkillName(name)}`;
}
