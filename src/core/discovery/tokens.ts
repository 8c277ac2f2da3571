/**
 * Token counts with a real tokenizer (js-tiktoken, o200k_base). The rank file is ~2 MB of JS, so it is imported
 * on first use only: commands that never count tokens never pay for it.
 */
import type { Tiktoken } from "js-tiktoken/lite";

let encoder: Promise<Tiktoken> | undefined;

function loadEncoder(): Promise<Tiktoken> {
  encoder ??= Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/o200k_base")]).then(
    ([{ Tiktoken }, ranks]) => new Tiktoken(ranks.default),
  );
  return encoder;
}

export const TOKENIZER = "o200k_base";

/** Tokens of the text; text that looks like a special token is counted as plain text. */
export async function countTokens(text: string): Promise<number> {
  const tiktoken = await loadEncoder();
  return tiktoken.encode(text, [], []).length;
}
