/** Progressive tool discovery: index, search, detail levels, token counts. */
export {
  type Detail,
  DETAIL_LEVELS,
  type RenderSignatures,
  type Signatures,
  type ToolView,
  firstSentence,
  isDetail,
  viewTool,
} from "./detail.js";
export { editDistance, typoBudget } from "./fuzzy.js";
export { DEFAULT_LIMIT, type SearchHit, type SearchOptions, expandQuery, searchTools } from "./search.js";
export { type SearchIndex, buildSearchIndex } from "./searchIndex.js";
export { TOKENIZER, countTokens } from "./tokens.js";
export { normalizeName, splitWords, stem, tokenize } from "./tokenize.js";
