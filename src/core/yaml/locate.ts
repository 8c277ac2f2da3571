/** Maps a JSON pointer to the line:column of a key or value in a parsed YAML document. */
import type { Document, LineCounter, Node } from "yaml";
import { splitPointer } from "../json/index.js";
import { yamlPackage } from "./yamlPackage.js";

export interface Position {
  line: number;
  column: number;
}

/** Which part of a map entry a problem is about: the key (unknown key) or the value (wrong type). */
export type LocateTarget = "key" | "value";

function positionOf(lineCounter: LineCounter, offset: number, lineOffset: number): Position {
  const pos = lineCounter.linePos(offset);
  return { line: pos.line + lineOffset, column: pos.col };
}

/**
 * Walks the pointer through maps and sequences. When the pointer names something that does not exist (a missing
 * required key), the deepest existing node is used, so the problem points at the object that lacks it.
 */
export function locatePointer(
  doc: Document,
  lineCounter: LineCounter,
  pointer: string,
  target: LocateTarget = "value",
  lineOffset = 0,
): Position {
  const { isMap, isPair, isScalar, isSeq } = yamlPackage();
  let node: unknown = doc.contents;
  let keyNode: Node | null = null;
  for (const segment of splitPointer(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : null;
      // A key with no value (`name:`) has a null value node: point at the key then.
      node = pair.value ?? keyNode;
      if (pair.value === null || pair.value === undefined) {
        node = keyNode;
      }
    } else if (isSeq(node)) {
      const index = Number(segment);
      const item = Number.isInteger(index) ? node.items[index] : undefined;
      if (item === undefined) break;
      keyNode = null;
      node = item;
    } else {
      break;
    }
  }
  const chosen = target === "key" && keyNode ? keyNode : (node as Node | null);
  const range = chosen && "range" in chosen ? chosen.range : undefined;
  if (!range) return { line: 1 + lineOffset, column: 1 };
  return positionOf(lineCounter, range[0], lineOffset);
}

export function offsetToPosition(lineCounter: LineCounter, offset: number, lineOffset = 0): Position {
  return positionOf(lineCounter, offset, lineOffset);
}
