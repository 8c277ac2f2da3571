/** The Agent Skills naming rule, one check per way a name can break it, each with its own message. */
import type { ProblemCode } from "./codes.js";

export const NAME_RULE = "1-64 characters of a-z, 0-9 and hyphens, not starting or ending with a hyphen, no `--`";
export const RESERVED_WORDS = ["anthropic", "claude"] as const;
export const MAX_NAME_LENGTH = 64;

export interface NameIssue {
  code: Extract<ProblemCode, "NAME_INVALID" | "NAME_TOO_LONG" | "NAME_RESERVED">;
  /** What is wrong, without the rule (callers add NAME_RULE where it helps). */
  message: string;
}

/** Returns the first rule the name breaks, or undefined when it is a valid skill name. */
export function checkSkillName(name: string): NameIssue | undefined {
  const shown = JSON.stringify(name);
  if (name.length === 0) return { code: "NAME_INVALID", message: `name is empty` };
  if ([...name].length > MAX_NAME_LENGTH) {
    return {
      code: "NAME_TOO_LONG",
      message: `name ${shown} is ${[...name].length} characters long; the maximum is ${MAX_NAME_LENGTH}`,
    };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: non-ASCII detection is the point
  if (/[^\x00-\x7f]/.test(name)) {
    return {
      code: "NAME_INVALID",
      message: `name ${shown} contains non-ASCII characters`,
    };
  }
  if (/[A-Z]/.test(name)) {
    return {
      code: "NAME_INVALID",
      message: `name ${shown} contains uppercase letters: use lowercase (${name.toLowerCase()})`,
    };
  }
  if (/[^a-z0-9-]/.test(name)) {
    return {
      code: "NAME_INVALID",
      message: `name ${shown} contains characters other than a-z, 0-9 and hyphens`,
    };
  }
  if (name.startsWith("-") || name.endsWith("-")) {
    return { code: "NAME_INVALID", message: `name ${shown} starts or ends with a hyphen` };
  }
  if (name.includes("--")) {
    return {
      code: "NAME_INVALID",
      message: `name ${shown} contains consecutive hyphens (--)`,
    };
  }
  const reserved = RESERVED_WORDS.find((word) => name.includes(word));
  if (reserved) return { code: "NAME_RESERVED", message: `name ${shown} contains the reserved word "${reserved}"` };
  return undefined;
}

/** A usable suggestion for a broken name (for hints and `skills new`). */
export function suggestSkillName(name: string): string {
  const cleaned = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(new RegExp(RESERVED_WORDS.join("|"), "g"), "-")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/g, "");
  return cleaned || "my-skill";
}

/** The rule, plus a name that follows it. */
export function nameHint(name: string): string {
  return `a name must be ${NAME_RULE}, e.g. ${suggestSkillName(name)}`;
}
