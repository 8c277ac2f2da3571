/** The servers `skills run` starts early are read from the manifest's `tools:` keys by a line scan. */
import { describe, expect, it } from "vitest";
import { serversOfTools } from "../../../src/commands/shared/earlyServers.js";

describe("serversOfTools", () => {
  it("reads a block mapping: quoted or not, comments and blank lines skipped, each server once", () => {
    const manifest = [
      "name: x",
      "tools:",
      "  filesystem/read_text_file: ^0.6.0",
      "",
      "  # a comment",
      '  "memory/search_nodes": ">=1.0.0 <2"',
      "  'filesystem/list_directory': '*'",
      "limits: { timeout_ms: 1000 }",
      "  other/tool: 1",
    ].join("\n");
    expect(serversOfTools(manifest)).toEqual(["filesystem", "memory"]);
  });

  it("reads a flow mapping", () => {
    expect(serversOfTools('tools: { everything/echo: "*", "weather/get_forecast": ^1 } # both\n')).toEqual([
      "everything",
      "weather",
    ]);
  });

  it("finds nothing without a top-level tools key", () => {
    expect(serversOfTools("name: x\ninput:\n  tools:\n    a/b: 1\n")).toEqual([]);
    expect(serversOfTools("tools: {}\n")).toEqual([]);
    expect(serversOfTools("")).toEqual([]);
  });

  it("reads CRLF files", () => {
    expect(serversOfTools("tools:\r\n  memory/read_graph: '*'\r\nname: x\r\n")).toEqual(["memory"]);
  });
});
