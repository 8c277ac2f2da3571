/** From SDK names in the code to the manifest's tools: the generator's naming rules, undeclared tools, Python keys. */
import { describe, expect, it } from "vitest";
import type { RawCall, SourceAnalysis } from "../../../src/contracts/compat.js";
import { resolveUsage } from "../../../src/core/compat/usage.js";

const at = (line: number) => ({ file: "main.py", line, column: 1 });

function call(module: string, name: string, line: number, args: string[] = []): RawCall {
  return {
    target: { kind: "sdk", module, name },
    location: at(line),
    direct: true,
    args: args.map((key) => ({ path: [key], location: at(line), constant: false })),
    reads: [],
    callee: { name, location: at(line), span: [0, name.length] },
  };
}

function analysis(calls: RawCall[], language: "python" | "typescript" = "python"): SourceAnalysis {
  return { file: "main.py", language, diagnostics: [], calls, imports: [], opaqueModules: [] };
}

describe("resolveUsage", () => {
  it("maps Python and TypeScript names of declared tools, whatever the tool's spelling", () => {
    const declared = [{ key: "everything/get-sum" }, { key: "my-server/readFile" }];
    const py = resolveUsage(
      [analysis([call("everything", "get_sum", 3), call("my_server", "read_file", 4)])],
      declared,
    );
    expect(Object.keys(py.tools).sort()).toEqual(["everything/get-sum", "my-server/readFile"]);
    expect(py.undeclared).toEqual([]);
    const ts = resolveUsage([analysis([call("everything", "getSum", 3)], "typescript")], declared);
    expect(Object.keys(ts.tools)).toEqual(["everything/get-sum"]);
  });

  it("reports a call of an SDK function the manifest does not declare, with a guess at the tool", () => {
    const usage = resolveUsage(
      [analysis([call("weather", "getAlerts", 7)], "typescript")],
      [{ key: "weather/get_forecast" }],
    );
    expect(usage.undeclared).toEqual([
      { tool: "weather/get_alerts", symbol: 'getAlerts from "servers/weather"', location: at(7) },
    ]);
  });

  it("maps a Python keyword argument made safe back to the tool's key", () => {
    const declared = [
      {
        key: "mail/search",
        info: {
          server: "mail",
          serverInfo: { name: "m", version: "1" },
          name: "search",
          inputSchema: { type: "object", properties: { from: { type: "string" }, "max-results": { type: "integer" } } },
        },
      },
    ];
    const usage = resolveUsage([analysis([call("mail", "search", 2, ["from_", "max_results"])])], declared);
    expect(usage.tools["mail/search"]!.calls[0]!.args.map((a) => a.path[0])).toEqual(["from", "max-results"]);
  });

  it("keeps the syntax errors and the servers used in ways it cannot follow", () => {
    const broken: SourceAnalysis = {
      ...analysis([]),
      diagnostics: [
        { file: "main.py", line: 2, column: 5, severity: "error", code: "SyntaxError", message: "invalid syntax" },
      ],
      opaqueModules: ["weather"],
    };
    const usage = resolveUsage([broken], [{ key: "weather/get_forecast" }]);
    expect(usage.diagnostics).toHaveLength(1);
    expect(usage.opaqueServers).toEqual(["weather"]);
  });
});
