import { describe, expect, it } from "vitest";
import { buildSearchIndex } from "../../../src/core/discovery/searchIndex.js";
import { DEFAULT_LIMIT, expandQuery, searchTools } from "../../../src/core/discovery/search.js";
import type { ToolInfo } from "../../../src/contracts/tools.js";

function tool(server: string, name: string, description: string, params: string[] = [], title?: string): ToolInfo {
  return {
    server,
    serverInfo: { name: server, version: "1.0.0" },
    name,
    ...(title ? { title } : {}),
    description,
    inputSchema: { type: "object", properties: Object.fromEntries(params.map((p) => [p, { type: "string" }])) },
  };
}

const TOOLS: ToolInfo[] = [
  tool("fs", "read_text_file", "Read the complete contents of a file as text.", ["path"], "Read Text File"),
  tool("fs", "read_file", "Read a file as text. DEPRECATED: use read_text_file.", ["path"], "Read File (Deprecated)"),
  tool("fs", "write_file", "Create or overwrite a file with new content.", ["path", "content"]),
  tool("fs", "list_directory", "List the entries of a directory.", ["path"]),
  tool("fs", "create_directory", "Create a new directory.", ["path"]),
  tool("fs", "move_file", "Move or rename files and directories.", ["source", "destination"]),
  tool("web", "fetchUrl", "Download a web page and return it as markdown.", ["url", "maxLength"]),
  tool("web", "search", "Search the web for pages.", ["query"]),
  tool("math", "get-sum", "Returns the sum of two numbers.", ["a", "b"]),
  tool("other", "read_file", "Reads a file from another place.", ["path"]),
];
const index = buildSearchIndex(TOOLS);
const top = (query: string, options = {}) => searchTools(index, query, options)[0]?.key;

describe("searchTools", () => {
  it("puts an exact name or server/tool first", () => {
    expect(searchTools(index, "list_directory")[0]).toMatchObject({ key: "fs/list_directory", match: "exact" });
    expect(top("other/read_file")).toBe("other/read_file");
    expect(top("fetch-url")).toBe("web/fetchUrl");
  });

  it("ranks by BM25 with the name boosted over the description", () => {
    const keys = searchTools(index, "directory").map((hit) => hit.key);
    expect(keys.slice(0, 2).sort()).toEqual(["fs/create_directory", "fs/list_directory"]);
    expect(keys).toContain("fs/move_file");
  });

  it("matches parameter names", () => {
    expect(top("max length")).toBe("web/fetchUrl");
    expect(top("destination")).toBe("fs/move_file");
  });

  it("finds names with typos, as words and as whole names", () => {
    expect(top("wirte fiel")).toBe("fs/write_file");
    expect(searchTools(index, "lsit_directroy")[0]).toMatchObject({ key: "fs/list_directory", match: "name" });
  });

  it("finds partial and run-together names", () => {
    expect(top("list_dir")).toBe("fs/list_directory");
    expect(top("writefile")).toBe("fs/write_file");
  });

  it("uses synonyms: folder → directory, rename → move, add → sum", () => {
    expect(top("make a folder")).toBe("fs/create_directory");
    expect(top("rename something")).toBe("fs/move_file");
    expect(top("add numbers")).toBe("math/get-sum");
  });

  it("ranks deprecated tools below their replacements", () => {
    expect(top("read text")).toBe("fs/read_text_file");
    const keys = searchTools(index, "read file as text", { servers: ["fs"] }).map((hit) => hit.key);
    expect(keys.indexOf("fs/read_text_file")).toBeLessThan(keys.indexOf("fs/read_file"));
  });

  it("prefers tools that match every word of the query", () => {
    expect(top("search web")).toBe("web/search");
    expect(top("web page markdown")).toBe("web/fetchUrl");
  });

  it("filters by server and honours the limit", () => {
    expect(searchTools(index, "file", { servers: ["other"] }).map((hit) => hit.key)).toEqual(["other/read_file"]);
    expect(searchTools(index, "file", { limit: 2 })).toHaveLength(2);
    expect(searchTools(index, "file", { limit: 0 })).toEqual([]);
    const many = buildSearchIndex(Array.from({ length: 30 }, (_, i) => tool("s", `file_tool_${i}`, "a file tool")));
    expect(searchTools(many, "file")).toHaveLength(DEFAULT_LIMIT);
  });

  it("leaves out weak tail matches unless asked to keep them", () => {
    const filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ".repeat(4);
    const weak = buildSearchIndex([
      tool("cal", "sync_calendar", "Sync calendar events with a remote calendar."),
      tool("cal", "list_events", "List events."),
      tool("misc", "send_report", `Send a report. ${filler} It can mention a calendar.`),
    ]);
    const all = searchTools(weak, "sync calendar", { minRelativeScore: 0 });
    const trimmed = searchTools(weak, "sync calendar");
    expect(all.map((hit) => hit.key)).toContain("misc/send_report");
    expect(trimmed.map((hit) => hit.key)).toEqual(["cal/sync_calendar"]);
    expect(trimmed.length).toBeLessThan(all.length);
    expect(trimmed).toEqual(all.slice(0, trimmed.length));
    for (const hit of trimmed) expect(hit.score).toBeGreaterThanOrEqual(trimmed[0]!.score * 0.2);
    // An exact name does not raise the bar for the others.
    expect(searchTools(index, "read_file", { servers: ["fs"] }).map((hit) => hit.key)).toContain("fs/read_text_file");
  });

  it("returns nothing for nothing, and explains what matched", () => {
    expect(searchTools(index, "qqqqqq")).toEqual([]);
    expect(searchTools(index, "the of a")).toEqual([]);
    expect(searchTools(buildSearchIndex([]), "file")).toEqual([]);
    expect(searchTools(index, "sum")[0]!.matched).toContain("sum");
  });

  it("expands a query into weighted terms, remembering which typed word each stands for", () => {
    const { terms, typed } = expandQuery(index, "raed folder");
    expect(typed).toEqual(["raed", "folder"]);
    expect(terms.get("read")).toMatchObject({ groups: 1 });
    expect(terms.get("read")!.weight).toBeLessThan(1);
    expect(terms.get("directory")).toMatchObject({ groups: 2 });
  });
});
