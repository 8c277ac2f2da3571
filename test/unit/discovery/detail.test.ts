import { describe, expect, it } from "vitest";
import { firstSentence, isDetail, viewTool } from "../../../src/core/discovery/detail.js";
import { countTokens } from "../../../src/core/discovery/tokens.js";
import type { ToolInfo } from "../../../src/contracts/tools.js";

const TOOL: ToolInfo = {
  server: "fs",
  serverInfo: { name: "fs-server", version: "0.2.0" },
  name: "read_text_file",
  title: "Read Text File",
  description: "Read the complete contents of a file as text. Handles encodings.\nMore lines.",
  inputSchema: { type: "object", properties: { path: { type: "string" } } },
  outputSchema: { type: "object" },
  annotations: { readOnlyHint: true },
};

describe("firstSentence", () => {
  it.each([
    ["Read a file. Then more.", "Read a file."],
    ["Version 1.2 of the tool! Yes.", "Version 1.2 of the tool!"],
    ["No full stop at all", "No full stop at all"],
    ["Line one\nline two. Three.", "Line one line two."],
    ["", ""],
    ["Reads files, e.g. logs. Then more.", "Reads files, e.g. logs."],
    ["Compares a vs. b, i.e. two values. More.", "Compares a vs. b, i.e. two values."],
    ["Written by J. Smith. Second.", "Written by J. Smith."],
    ["Ends with etc. Next sentence.", "Ends with etc."],
    ["Returns the sum of a and b. More.", "Returns the sum of a and b."],
  ])("%j → %j", (text, expected) => {
    expect(firstSentence(text)).toBe(expected);
  });
  it("cuts long sentences with an ellipsis", () => {
    const out = firstSentence("word ".repeat(100), 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out.endsWith("…")).toBe(true);
  });
  it("handles a missing description", () => {
    expect(firstSentence(undefined)).toBe("");
  });
});

describe("viewTool", () => {
  it("name: the key only", () => {
    expect(viewTool(TOOL, "name")).toEqual({ key: "fs/read_text_file", server: "fs", name: "read_text_file" });
  });
  it("summary: plus title and first sentence", () => {
    expect(viewTool(TOOL, "summary")).toEqual({
      key: "fs/read_text_file",
      server: "fs",
      name: "read_text_file",
      title: "Read Text File",
      summary: "Read the complete contents of a file as text.",
    });
  });
  it("full: everything, with signatures when a renderer is given", () => {
    const view = viewTool(TOOL, "full", (tool) => ({ ts: `ts:${tool.name}`, python: `py:${tool.name}` }));
    expect(view).toMatchObject({
      description: TOOL.description,
      serverInfo: TOOL.serverInfo,
      inputSchema: TOOL.inputSchema,
      outputSchema: TOOL.outputSchema,
      annotations: TOOL.annotations,
      signatures: { ts: "ts:read_text_file", python: "py:read_text_file" },
    });
    expect(viewTool(TOOL, "full").signatures).toBeUndefined();
  });
  it("knows the detail levels", () => {
    expect(["name", "summary", "full", "all"].map(isDetail)).toEqual([true, true, true, false]);
  });
});

describe("countTokens (o200k_base)", () => {
  it("counts with the real tokenizer", async () => {
    expect(await countTokens("hello world")).toBe(2);
    expect(await countTokens("")).toBe(0);
  });
  it("counts text that looks like a special token as plain text instead of throwing", async () => {
    expect(await countTokens("<|endoftext|>")).toBeGreaterThan(1);
  });
});
