/**
 * Token counts in o200k_base, with the run log's counter (core/metrics/tokens.ts): the same counts as js-tiktoken's
 * `encode(text, [], [])` (its unit test checks that), from js-tiktoken's rank module in ~0.1-0.3 s on first use
 * instead of the 0.7-0.9 s its `Tiktoken` constructor takes. Nothing is loaded until a count is needed. Core reads no
 * files: `skills tools --stats` counts with the same counter from the table the build ships (store/runLog/tokenCache).
 */
import { loadTokenCounter } from "../metrics/tokens.js";

export const TOKENIZER = "o200k_base";

/** Tokens of the text; text that looks like a special token is counted as plain text. */
export async function countTokens(text: string): Promise<number> {
  return (await loadTokenCounter()).count(text);
}
