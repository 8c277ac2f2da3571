/** JSON pointers (RFC 6901) for findings, and the `ignore_fields` pointer patterns (`*` = any one segment). */

export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A path step: a property name, or an array index kept as a number (no string made per array item). */
export type PathSegment = string | number;

export function toPointer(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) out += `/${typeof s === "number" ? s : escapeSegment(s)}`;
  return out;
}

export function parsePointerPattern(pattern: string): string[] {
  return pattern
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
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
