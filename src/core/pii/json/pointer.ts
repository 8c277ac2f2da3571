/** JSON pointers (RFC 6901) for findings, and matching `ignore_fields` pointer patterns (`*` = any one segment). */
import { escapePointerToken, splitPointer } from "../../json/index.js";

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
