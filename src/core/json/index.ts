/** The JSON toolkit every layer uses: a strict reader that keeps positions, pointers, line/column lookup. */
export { type LazyJson, parseJsonLazily } from "./lazy.js";
export { type ParsedJson, type ParseJsonResult, parseJsonWithPositions } from "./parse.js";
export {
  decodeFragment,
  escapePointerToken,
  joinPointer,
  type PointerLookup,
  valueAtPointer,
  splitPointer,
  unescapePointerToken,
} from "./pointer.js";
export { type JsonPosition, lineStarts, locateIn, nearestPosition, positionAt } from "./positions.js";
export { isPlainObject } from "./value.js";
