/** Line and column of an offset in a text, and of a JSON pointer among the positions a parse remembered. */

export interface JsonPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  offset: number;
}

/** Offsets where each line starts (line 1 at 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The position of `offset`, by binary search over `lineStarts(text)`. */
export function positionAt(starts: readonly number[], offset: number): JsonPosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1, offset };
}

/**
 * Where a problem about `pointer` is shown: its key (`target: "key"`, for an unknown key) or its value, else its
 * nearest ancestor that has a position (a missing key points at its object).
 */
export function locateIn(
  parsed: { positions: ReadonlyMap<string, JsonPosition>; keyPositions?: ReadonlyMap<string, JsonPosition> },
  pointer: string,
  target: "key" | "value" = "value",
): JsonPosition {
  const key = target === "key" ? parsed.keyPositions?.get(pointer) : undefined;
  return key ?? nearestPosition(pointer, parsed.positions);
}

/** Position of the pointer, or of its nearest ancestor that has one (a missing key points at its object). */
export function nearestPosition(pointer: string, positions: ReadonlyMap<string, JsonPosition>): JsonPosition {
  let current = pointer;
  for (;;) {
    const found = positions.get(current);
    if (found) return found;
    if (current === "") return { line: 1, column: 1, offset: 0 };
    current = current.slice(0, current.lastIndexOf("/"));
  }
}
