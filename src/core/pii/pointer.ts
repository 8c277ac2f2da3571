/** JSON pointers (RFC 6901) for findings, and the `ignore_fields` pointer patterns (`*` = any one segment) and their rule. */

import { escapePointerToken, splitPointer } from "../json/index.js";

/** A path step: a property name, or an array index kept as a number (no string made per array item). */
export type PathSegment = string | number;

export function toPointer(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) out += `/${typeof s === "number" ? s : escapePointerToken(s)}`;
  return out;
}

export function parsePointerPattern(pattern: string): string[] {
  return splitPointer(pattern);
}

/** Whether the value at `segments` (a subtree root) is covered by one of the patterns. */
export function pointerIgnored(segments: readonly PathSegment[], patterns: readonly string[][]): boolean {
  for (const pattern of patterns) {
    if (pattern.length > segments.length) continue;
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      if (pattern[i] !== "*" && pattern[i] !== String(segments[i])) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

/** Why an `ignore_fields` entry can never match, or undefined when it is usable. */
export interface IgnoreFieldProblem {
  message: string;
  hint: string;
}

/**
 * The rule for an `ignore_fields` entry: a key name (no `/`), or a JSON pointer starting with `/` whose `~` is
 * followed by 0 or 1 and whose `*` stands for one whole segment (`**` and partial wildcards are not supported).
 */
export function checkIgnoreField(field: string): IgnoreFieldProblem | undefined {
  if (field === "")
    return { message: "is empty", hint: "write a key name such as support_email, or a pointer like /rows/*/owner" };
  if (!field.startsWith("/")) {
    if (!field.includes("/")) return undefined;
    return {
      message: `"${field}" is neither a key name (it contains "/") nor a JSON pointer (it does not start with "/")`,
      hint: `write the pointer from the root: "/${field}"; a key name that contains "/" is written with ~1 in a pointer`,
    };
  }
  const segments = field.split("/").slice(1);
  for (const segment of segments) {
    const tilde = /~(?![01])/.exec(segment);
    if (tilde) {
      return {
        message: `"${field}": "~" must be followed by 0 or 1 in a JSON pointer`,
        hint: 'write ~0 for "~" and ~1 for "/" inside a key',
      };
    }
    if (segment === "**") {
      return {
        message: `"${field}": "**" is not supported`,
        hint: "* stands for exactly one segment; write one pointer per depth, e.g. /rows/*/owner and /rows/*/*/owner",
      };
    }
    if (segment.includes("*") && segment !== "*") {
      return {
        message: `"${field}": "*" must be a whole segment, not part of one ("${segment}")`,
        hint: "* stands for any one key or index, e.g. /rows/*/owner; list the keys you mean one by one",
      };
    }
  }
  return undefined;
}
