/**
 * Tokenisation for tool search: splits snake_case, kebab-case, camelCase and digits, lowercases, drops stopwords
 * and applies a light stemmer, so "listDirectoryWithSizes", "list-directories" and "listing directory" meet.
 */

const STOPWORDS = new Set(
  (
    "a an the of to in into on onto for from with without by at as and or but not no is are be been being it its " +
    "this that these those there their them they you your we our i me my can could should would will shall do does " +
    "did so than then if else when which who whom what how all any each every some such only also just very more " +
    "most other via per up out about over under both either one"
  ).split(" "),
);

/** Splits an identifier or a phrase into lowercase words: "getFileInfo" → get, file, info; "HTTP2Server" → http2, server. */
export function splitWords(text: string): string[] {
  // One pass over the characters (this runs on every word of every tool when the index is built).
  const out: string[] = [];
  let word = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    if (!upper && !(c >= 97 && c <= 122) && !(c >= 48 && c <= 57)) {
      if (word) out.push(word);
      word = "";
      continue;
    }
    if (upper && word) {
      const prev = text.charCodeAt(i - 1);
      const next = text.charCodeAt(i + 1);
      const prevUpper = prev >= 65 && prev <= 90;
      // "fileInfo" splits before I; "HTTPServer" splits before the S that starts a lowercase run.
      if (!prevUpper || (next >= 97 && next <= 122)) {
        out.push(word);
        word = "";
      }
    }
    word += upper ? String.fromCharCode(c + 32) : text[i];
  }
  if (word) out.push(word);
  return out;
}

/** A light suffix stemmer: enough to join plurals and -ing/-ed forms; the same function runs on queries and tools. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (/(ches|shes|xes|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  if (w.length > 3 && /([b-df-hj-kmnp-rtv-y])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Words → stemmed terms without stopwords. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of splitWords(text)) {
    if (STOPWORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

/** The identifier form of a name, for exact and fuzzy whole-name matching: "Read-File" → "read_file". */
export function normalizeName(name: string): string {
  return splitWords(name).join("_");
}
