/**
 * Positions in a document read by parseYamlSubset, answered exactly as locatePointer and the package's `getIn`
 * answer them for the same text (test/unit/yaml/subset.test.ts compares both for every node).
 */
import { splitPointer } from "../json/index.js";
import type { LocateTarget, Position } from "./locate.js";
import type { SubsetDocument, SubsetNode } from "./subset.js";

/** The package's LineCounter.linePos: 1-based line and column of an offset. */
export function subsetPosition(lineStarts: readonly number[], offset: number, lineOffset = 0): Position {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lineStarts[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  if (lineStarts[low] === offset) return { line: low + 1 + lineOffset, column: 1 };
  if (low === 0) return { line: lineOffset, column: offset };
  return { line: low + lineOffset, column: offset - lineStarts[low - 1]! + 1 };
}

/** locatePointer over a subset document: the deepest existing node, its key when `target` is "key". */
export function locateInSubset(
  doc: SubsetDocument,
  pointer: string,
  target: LocateTarget = "value",
  lineOffset = 0,
): Position {
  let node: SubsetNode = doc.root;
  let keyStart: number | undefined;
  for (const segment of splitPointer(pointer)) {
    if (node.kind === "map") {
      const index = node.keys.indexOf(segment);
      if (index === -1) break;
      keyStart = node.keyStarts[index]!;
      node = node.values[index]!;
    } else if (node.kind === "seq") {
      const index = Number(segment);
      const item = Number.isInteger(index) ? node.items[index] : undefined;
      if (item === undefined) break;
      keyStart = undefined;
      node = item;
    } else break;
  }
  const offset = target === "key" && keyStart !== undefined ? keyStart : node.start;
  return subsetPosition(doc.lineStarts, offset, lineOffset);
}

/** The package's `doc.getIn(path, true)` then the scalar's source text: undefined unless a scalar is there. */
export function sourceInSubset(doc: SubsetDocument, text: string, pointer: string): string | undefined {
  let node: SubsetNode = doc.root;
  for (const segment of splitPointer(pointer)) {
    if (node.kind === "map") {
      const index = node.keys.indexOf(segment);
      if (index === -1) return undefined;
      node = node.values[index]!;
    } else if (node.kind === "seq") {
      // the package's asItemIndex: a non-empty string becomes a number, which must be a whole index
      const index = segment ? Number(segment) : Number.NaN;
      const item = Number.isInteger(index) && index >= 0 ? node.items[index] : undefined;
      if (item === undefined) return undefined;
      node = item;
    } else return undefined;
  }
  return node.kind === "scalar" ? text.slice(node.start, node.end).trim() : undefined;
}
