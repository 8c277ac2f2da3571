/** The TypeScript usage analysis (compiler API, in process): calls, argument keys and literals, result reads. */
import { describe, expect, it } from "vitest";
import { analyseTypeScript } from "../../../src/analysis/typescript.js";

const analyse = (source: string, file = "main.ts") => analyseTypeScript([{ file, source }])[0]!;
const reads = (call: { reads: { path: string[]; escapes: boolean; location: { line: number } }[] }) =>
  call.reads.map((r) => `${r.path.join(".")}${r.escapes ? "!" : ""}@${r.location.line}`);

describe("analyseTypeScript", () => {
  it("finds named imports, the keys and literals passed, and the fields read", () => {
    const a = analyse(
      [
        'import { getForecast, getAlerts as alerts, type GetForecastInput } from "servers/weather";',
        "export async function run(input: { city: string }) {",
        '  const f = await getForecast({ city: input.city, units: "imperial", days: 3, options: { deep: true } });',
        "  const { temp, daily: days } = f;",
        "  const highs = days?.map((d) => d.high);",
        "  const a = (await alerts({ state: 'CA' })) as { alerts: unknown[] };",
        "  return { temp, highs, n: a.alerts.length };",
        "}",
      ].join("\n"),
    );
    expect(a.diagnostics).toEqual([]);
    expect(a.imports.map((i) => [i.module, i.name, i.location.line, i.location.column])).toEqual([
      ["weather", "getForecast", 1, 10],
      ["weather", "getAlerts", 1, 23],
    ]);
    const [forecast, alert] = a.calls;
    expect(forecast!.target).toEqual({ kind: "sdk", module: "weather", name: "getForecast" });
    expect(forecast!.args.map((arg) => [arg.path.join("."), arg.constant, arg.value])).toEqual([
      ["city", false, undefined],
      ["units", true, "imperial"],
      ["days", true, 3],
      ["options", false, undefined],
      ["options.deep", true, true],
    ]);
    expect(reads(forecast!)).toEqual(["temp@4", "temp!@7", "daily@4", "daily.*.high@5", "daily.*.high!@5"]);
    expect(alert!.target).toEqual({ kind: "sdk", module: "weather", name: "getAlerts" });
    expect(alert!.callee.name).toBe("alerts");
    expect(reads(alert!)).toEqual(["alerts@7", "alerts@7"]);
  });

  it("namespace imports, callTool with literal names, spreads and references", () => {
    const a = analyse(
      [
        'import * as weather from "servers/weather";',
        'import { callTool } from "servers/_runtime";',
        "export async function run(input: Record<string, unknown>) {",
        "  await weather.getForecast({ ...input });",
        '  const r = await callTool("weather", "get_alerts", { state: "CA" });',
        "  const list = ['a'].map(weather.getAlerts);",
        "  return r;",
        "}",
      ].join("\n"),
    );
    expect(a.calls.map((c) => [c.target, c.direct, c.dynamicArgs?.line ?? null])).toEqual([
      [{ kind: "sdk", module: "weather", name: "getForecast" }, true, 4],
      [{ kind: "generic", server: "weather", tool: "get_alerts" }, true, null],
      [{ kind: "sdk", module: "weather", name: "getAlerts" }, false, 6],
    ]);
    expect(a.calls[1]!.args.map((arg) => [arg.path, arg.value])).toEqual([[["state"], "CA"]]);
    expect(reads(a.calls[1]!)).toEqual(["!@7"]);
  });

  it("returns syntax errors with positions instead of throwing", () => {
    const a = analyse('import { x } from "servers/weather";\nconst y = ;\nx({ y });\n');
    expect(a.diagnostics.length).toBeGreaterThan(0);
    expect(a.diagnostics[0]).toMatchObject({ file: "main.ts", line: 2, column: 11, severity: "error", code: "TS1109" });
    expect(a.diagnostics[0]!.code).toMatch(/^TS\d+$/);
  });

  it("a local variable that shadows an import is not the tool", () => {
    const a = analyse(
      [
        'import { getForecast } from "servers/weather";',
        "function f(getForecast: () => void) { getForecast(); }",
        "getForecast({ city: 'x' });",
      ].join("\n"),
    );
    expect(a.calls.map((c) => c.location.line)).toEqual([3]);
  });
});

describe("analyseTypeScript on the files of many skills at once", () => {
  const sources = [
    {
      unit: "0",
      file: "main.ts",
      source: 'import { getForecast } from "servers/weather";\ngetForecast({ city: "x" });\n',
    },
    // the same file name in another skill, which shadows the name: not a call of the tool
    {
      unit: "1",
      file: "main.ts",
      source: 'import { getForecast } from "servers/weather";\nconst f = (getForecast: () => void) => getForecast();\n',
    },
    // a script that declares the imported name globally changes nothing for the others
    { unit: "2", file: "main.ts", source: "var getForecast = () => 1;\ngetForecast();\n" },
    { unit: "2", file: "broken.ts", source: "const y = ;\nlet z: = 1;\n" },
    { unit: "3", file: "main.mts", source: "await Promise.resolve(1);\nconst y = ;\n" },
    { unit: "3", file: "main.js", source: "let x: number = 1;\n" },
  ];

  it("answers for each file as if its skill were analysed alone", () => {
    const together = analyseTypeScript(sources);
    const alone = sources.map(({ file, source }) => analyseTypeScript([{ file, source }])[0]!);
    expect(together).toEqual(alone);
    expect(together[0]!.calls.map((c) => c.args.map((a) => a.path[0]))).toEqual([["city"]]);
    expect(together[1]!.calls).toEqual([]);
    expect(together[2]!.calls).toEqual([]);
  });

  it("reports the parser's errors of a file without the SDK as a program would", () => {
    const [broken, mts, js] = analyseTypeScript(sources.slice(3));
    expect(broken!.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(["1:11 TS1109", "2:8 TS1110"]);
    expect(mts!.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(["2:11 TS1109"]);
    // the same file through the program (a file that names `servers` goes there) has the same errors
    const viaProgram = analyseTypeScript([{ file: "broken.ts", source: `${sources[3]!.source}// servers\n` }])[0]!;
    expect(viaProgram.diagnostics).toEqual(broken!.diagnostics);
    // type annotations in a .js file: a syntax error only a program reports
    expect(js!.diagnostics.map((d) => d.code)).toEqual(["TS8010"]);
  });
});
