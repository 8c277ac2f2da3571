import { describe, expect, test } from "vitest";
import { hasTerminalControls, terminalSafe, terminalSafeDeep, terminalSafeJson } from "../../../../src/core/text/terminal.js";

describe("terminalSafe", () => {
  test.each([
    ["plain text", "hello world", "hello world"],
    ["newline and tab stay", "a\tb\nc\n", "a\tb\nc\n"],
    ["CRLF line ends become LF", "one\r\ntwo\r\n", "one\ntwo\n"],
    ["CSI colour", "\u001b[31mred\u001b[0m", "\\x1b[31mred\\x1b[0m"],
    ["CSI clear screen and cursor home", "\u001b[2J\u001b[H", "\\x1b[2J\\x1b[H"],
    ["OSC window title (BEL end)", "\u001b]0;pwned\u0007", "\\x1b]0;pwned\\x07"],
    ["OSC 8 hyperlink (ST end)", "\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\", "\\x1b]8;;http://x\\x1b\\link\\x1b]8;;\\x1b\\"],
    ["C1 CSI 0x9b", "\u009b2J", "\\x9b2J"],
    ["C1 OSC 0x9d and ST 0x9c", "\u009d0;t\u009c", "\\x9d0;t\\x9c"],
    ["lone CR cannot overwrite a line", "✗ failed\r✓ ok exec python", "✗ failed\\r✓ ok exec python"],
    ["backspace, form feed, vertical tab, NUL", "a\bb\fc\vd\u0000e", "a\\bb\\fc\\vd\\0e"],
    ["DEL", "x\u007fy", "x\\x7fy"],
    ["bidi override (Trojan Source)", "ok\u202e;)(lave\u202c", "ok\\u202e;)(lave\\u202c"],
    ["bidi isolates and marks", "\u2066a\u2069\u200e\u200f\u061c", "\\u2066a\\u2069\\u200e\\u200f\\u061c"],
    ["other Unicode stays", "émoji 🎉 中文 ✓", "émoji 🎉 中文 ✓"],
  ])("%s", (_name, input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });

  test("the output never holds a control character but newline and tab", () => {
    const all = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join("");
    const safe = terminalSafe(all);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(safe).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(safe).toContain("\n");
    expect(safe).toContain("\t");
  });

  test("hasTerminalControls", () => {
    expect(hasTerminalControls("fine\r\n")).toBe(false);
    expect(hasTerminalControls("a\u001bb")).toBe(true);
    expect(hasTerminalControls("a\rb")).toBe(true);
  });
});

describe("terminalSafeJson", () => {
  test("escapes C1 and bidi characters JSON leaves raw, and parses back to the same value", () => {
    const value = { "k\u009b": ["\u001b[2J\u009b\u202e\u007f", 1, null], plain: "é ✓" };
    const text = terminalSafeJson(value, 2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain("\\u009b");
    expect(text).toContain("\\u202e");
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe("terminalSafeDeep", () => {
  test("escapes every string of a result, keys too, and leaves the rest and the input alone", () => {
    const input = {
      name: "a\u001b[2Jb",
      "k\u009b": [{ hint: "x\ry", count: 3, ok: true, none: null }, "\u202e"],
      nested: { deeper: ["fine", 1] },
    };
    const copy = structuredClone(input);
    expect(terminalSafeDeep(input)).toEqual({
      name: "a\\x1b[2Jb",
      "k\\x9b": [{ hint: "x\\ry", count: 3, ok: true, none: null }, "\\u202e"],
      nested: { deeper: ["fine", 1] },
    });
    expect(input).toEqual(copy);
  });

  test("passes through what is not a string, array or plain object", () => {
    const date = new Date(0);
    expect(terminalSafeDeep(date)).toBe(date);
    expect(terminalSafeDeep(7)).toBe(7);
    expect(terminalSafeDeep(undefined)).toBeUndefined();
  });
});
