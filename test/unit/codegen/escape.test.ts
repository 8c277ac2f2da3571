import { execFileSync } from "node:child_process";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import {
  jsDoc,
  oneLine,
  pyComment,
  pyDocstring,
  pyString,
  tsCommentText,
  tsString,
} from "../../../src/core/codegen/escape.js";
import { PYTHON } from "../../helpers/python.js";

// biome-ignore lint/complexity/useRegexLiterals: a literal would hold raw control characters
const BREAKS = new RegExp("[\\n\\r\\u2028\\u2029\\u0000\\u202e\\u000b\\u000c]");

const NASTY = [
  "",
  "plain",
  'double " quote',
  "single ' quote",
  '"""',
  "'''",
  'ends with quote"',
  '"starts with quote',
  "back\\slash and \\n literal",
  "trailing backslash \\",
  "*/ comment end",
  "/* comment start",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile text on purpose
  "`${template}`",
  "line\nbreak",
  "crlf\r\nand cr\r",
  "sep\u2028arators\u2029",
  "nul\u0000bell\u0007esc\u001b",
  "bidi \u202e evil \u2066",
  "zero\u200bwidth \ufeff bom",
  "lone \ud800 surrogate",
  "emoji 🎉 and 日本語",
  "\\N{BULLET} \\u2028 \\x00",
];

describe("pyString", () => {
  it("round-trips every nasty string through the Python parser", () => {
    const literals = NASTY.map(pyString);
    for (const literal of literals) {
      expect(literal).not.toMatch(BREAKS);
    }
    const script = `import ast, json, sys\nprint(json.dumps([ast.literal_eval(line) for line in sys.stdin.read().split("\\n")]))`;
    const out = execFileSync(PYTHON, ["-I", "-c", script], { input: literals.join("\n") }).toString();
    // JSON from Python escapes lone surrogates the same way JSON.parse reads them back.
    expect(JSON.parse(out)).toEqual(NASTY);
  });
});

describe("tsString", () => {
  it("round-trips every nasty string through a JS parser", () => {
    for (const text of NASTY) {
      const literal = tsString(text);
      expect(literal).not.toMatch(BREAKS);
      expect(runInNewContext(literal)).toBe(text);
    }
  });
});

describe("pyDocstring", () => {
  it("cannot be closed or turned into an escape by the text, and keeps the text readable", () => {
    const script = `import ast, json, sys\nsrc = sys.stdin.read()\nmod = ast.parse(src)\nprint(json.dumps([ast.get_docstring(f, clean=False) for f in mod.body]))`;
    const source = NASTY.map((text, index) => `def f${index}():\n${pyDocstring(text || "x", "    ")}\n`).join("\n");
    const out = JSON.parse(execFileSync(PYTHON, ["-I", "-c", script], { input: source }).toString()) as string[];
    expect(out).toHaveLength(NASTY.length);
    expect(out[2]).toBe('double " quote');
    expect(out[4]).toBe('"""');
    expect(out[6]).toBe('ends with quote"');
    expect(out[8]).toBe("back\\slash and \\n literal");
    expect(out[13]).toBe("line\n    break\n    ");
  });

  it("puts a one-line text on one line", () => {
    expect(pyDocstring("Read a file.", "    ")).toBe('    """Read a file."""');
  });
});

describe("comments", () => {
  it("jsDoc never contains the comment terminator inside the text", () => {
    for (const text of NASTY) {
      const doc = jsDoc(`${text} */ more`, "  ");
      if (!doc) continue;
      expect(doc.slice(0, -"*/\n".length)).not.toContain("*/");
      expect(doc.endsWith("*/\n")).toBe(true);
      expect(doc.replace(/\n/g, "")).not.toMatch(BREAKS);
    }
    expect(jsDoc(undefined)).toBe("");
    expect(jsDoc("   ")).toBe("");
    expect(jsDoc("a\nb")).toBe("/**\n * a\n * b\n */\n");
  });

  it("one-line texts have no line breaks or control characters", () => {
    for (const text of NASTY) {
      expect(pyComment(text)).not.toMatch(BREAKS);
      expect(tsCommentText(`${text}*/`)).not.toContain("*/");
    }
    expect(oneLine("a\n\n  b\r\nc")).toBe("a b c");
  });
});
