/**
 * Verdicts with usage, end to end in process: real TypeScript code analysed with the compiler API, two versions of
 * a tool, and what `skills compat` concludes: status, severity per change, the places in the code and the hints.
 */
import { describe, expect, it } from "vitest";
import { analyseTypeScript } from "../../../src/analysis/typescript.js";
import type { LockedTool } from "../../../src/contracts/compat.js";
import type { JsonObject } from "../../../src/contracts/json.js";
import { compareDependency } from "../../../src/core/compat/compare.js";
import { applyEdits, planFixes } from "../../../src/core/compat/fix.js";
import { lockTool } from "../../../src/core/compat/lockfile.js";
import { resolveUsage } from "../../../src/core/compat/usage.js";

function tool(version: string, inputSchema: JsonObject, outputSchema?: JsonObject, name = "get_forecast"): LockedTool {
  return lockTool(
    {
      server: "weather",
      serverInfo: { name: "w", version },
      name,
      inputSchema,
      ...(outputSchema ? { outputSchema } : {}),
    },
    "2025-06-18",
  );
}

const obj = (properties: JsonObject, required: string[] = [], extra: JsonObject = {}) => ({
  type: "object",
  properties,
  required,
  ...extra,
});

function verdict(
  code: string,
  before: LockedTool,
  after: LockedTool | undefined,
  options: { strict?: boolean; range?: string; siblings?: LockedTool[] } = {},
) {
  const analysis = analyseTypeScript([{ file: "main.ts", source: code }]);
  const usage = resolveUsage(analysis, [{ key: "weather/get_forecast" }]);
  const result = compareDependency(
    {
      key: "weather/get_forecast",
      range: options.range ?? "*",
      before,
      ...(after ? { after } : {}),
      siblings: (options.siblings ?? []).map((t) => t.tool),
      existedBefore: new Set(["get_forecast"]),
    },
    usage.tools["weather/get_forecast"],
    { strict: options.strict ?? false, language: "typescript" },
  );
  return { ...result, usage: usage.tools["weather/get_forecast"], source: code };
}

const call = (args: string, read = "") =>
  `import { getForecast } from "servers/weather";\nexport async function run(input: any) {\n  const f = await getForecast(${args});\n  return ${read || "null"};\n}\n`;

describe("verdicts with usage", () => {
  const units = (values: string[]) =>
    tool("1.0.0", obj({ city: { type: "string" }, units: { type: "string", enum: values } }, ["city"]));

  it("a removed enum value the skill passes is incompatible, with the value and the place", () => {
    const r = verdict(
      call('{ city: "Paris", units: "imperial" }'),
      units(["metric", "imperial", "standard"]),
      units(["metric", "standard"]),
    );
    expect(r.status).toBe("incompatible");
    expect(r.changes).toEqual([
      expect.objectContaining({
        rule: "request-enum-value-removed",
        severity: "incompatible",
        used: true,
        uses: [{ file: "main.ts", line: 3, column: 48 }],
      }),
    ]);
    expect(r.hints).toEqual([
      "`units` no longer accepts `imperial`, passed at main.ts:3; it accepts `metric`, `standard`",
    ]);
  });

  it("the same change leaves a skill that passes another literal compatible, and breaks one whose value is not known", () => {
    const kept = verdict(
      call('{ city: "Paris", units: "metric" }'),
      units(["metric", "imperial", "standard"]),
      units(["metric", "standard"]),
    );
    expect(kept.status).toBe("compatible");
    expect(kept.changes[0]).toMatchObject({ severity: "compatible", used: false, kept: [{ value: "metric" }] });
    const dynamic = verdict(
      call('{ city: "Paris", units: input.units }'),
      units(["metric", "imperial", "standard"]),
      units(["metric", "standard"]),
    );
    expect(dynamic.status).toBe("incompatible");
    const spread = verdict(
      call("{ ...input }"),
      units(["metric", "imperial", "standard"]),
      units(["metric", "standard"]),
    );
    expect(spread.status).toBe("incompatible");
    expect(spread.changes[0]!.uses).toEqual([{ file: "main.ts", line: 3, column: 33 }]);
  });

  it("a tightened maximum matters only to values it now refuses", () => {
    const days = (max: number) => tool("1.0.0", obj({ days: { type: "integer", maximum: max } }));
    const ok = verdict(call("{ days: 3 }"), days(14), days(7));
    expect(ok.status).toBe("compatible");
    expect(ok.hints).toEqual([]);
    // a skill that does not pass `days` is not proven unaffected: a warning
    expect(verdict(call("{}"), days(14), days(7)).status).toBe("warning");
    const refused = verdict(call("{ days: 10 }"), days(14), days(7));
    expect(refused.status).toBe("incompatible");
    expect(refused.hints).toEqual(["argument `days`: maximum `14` -> `7`; passed at main.ts:3"]);
  });

  it("a new required argument names its default in the skill's own syntax", () => {
    const before = tool("1.0.0", obj({ city: { type: "string" } }, ["city"]));
    const after = tool(
      "2.0.0",
      obj({ city: { type: "string" }, units: { type: "string", default: "metric" } }, ["city", "units"]),
    );
    const r = verdict(call('{ city: "Paris" }'), before, after);
    expect(r.status).toBe("incompatible");
    expect(r.hints).toEqual([
      "`get_forecast` now requires `units`; the calls at main.ts:3 do not pass it: pass `units: \"metric\"` (the server's default) to keep today's behaviour",
    ]);
    expect(verdict(call('{ city: "Paris", units: "metric" }'), before, after).status).toBe("compatible");
  });

  it("closing additionalProperties breaks only a skill that sends other keys", () => {
    const before = tool("1.0.0", obj({ city: { type: "string" } }));
    const after = tool("1.0.0", obj({ city: { type: "string" } }, [], { additionalProperties: false }));
    expect(verdict(call('{ city: "x" }'), before, after).status).toBe("warning");
    const r = verdict(call('{ city: "x", debug: true }'), before, after);
    expect(r.status).toBe("incompatible");
    expect(r.hints[0]).toBe(
      "the arguments no longer accepts keys it does not list (accepted: `city`); passed at main.ts:3",
    );
  });

  it("a default that changed matters to calls that leave the argument out", () => {
    const v = (d: string) => tool("1.0.0", obj({ city: { type: "string" }, units: { type: "string", default: d } }));
    const r = verdict(call('{ city: "x" }'), v("metric"), v("imperial"));
    expect(r.status).toBe("warning");
    expect(r.hints).toEqual([
      'the default of argument `units` changed from `metric` to `imperial`; the calls at main.ts:3 leave it out: pass `units: "metric"` to keep the old behaviour',
    ]);
    expect(verdict(call('{ city: "x", units: "metric" }'), v("metric"), v("imperial")).status).toBe("compatible");
  });

  it("a removed result field: incompatible where it is read, a warning where it is not; --strict ignores usage", () => {
    const out = (props: JsonObject) => tool("1.0.0", obj({}), obj(props));
    const before = out({ temp: { type: "number" }, humidity: { type: "number" } });
    const after = out({ temp: { type: "number" } });
    const reads = verdict(call("{}", "f.humidity"), before, after);
    expect(reads.status).toBe("incompatible");
    expect(reads.hints).toEqual(["result field `humidity` was removed; read at main.ts:4"]);
    const other = verdict(call("{}", "f.temp"), before, after);
    expect(other.status).toBe("warning");
    expect(other.hints).toEqual(["result field `humidity` was removed; the skill does not read it"]);
    expect(verdict(call("{}", "f.temp"), before, after, { strict: true }).status).toBe("incompatible");
    // a result returned whole may be read anywhere
    expect(verdict(call("{}", "f"), before, after).status).toBe("incompatible");
  });

  it("a version outside the range with nothing used changed is a warning with a wider range", () => {
    const r = verdict(
      call('{ city: "x" }'),
      tool("1.4.0", obj({ city: { type: "string" } })),
      tool("2.0.0", obj({ city: { type: "string" } })),
      { range: "^1.0.0" },
    );
    expect(r.status).toBe("warning");
    expect(r.hints).toEqual([
      "`get_forecast` is at version 2.0.0, outside the range `^1.0.0`, and nothing the skill uses changed: widen the range to `^1.0.0 || ^2.0.0` in manifest.yaml",
    ]);
    expect(r.live).toEqual({ server: "weather", version: "2.0.0" });
  });

  it("a renamed tool is migration-needed and --fix renames the import and the call", () => {
    const code = call('{ city: "x" }', "f.temp");
    const before = tool("1.0.0", obj({ city: { type: "string" } }), obj({ temp: { type: "number" } }));
    const renamed = tool("2.0.0", obj({ city: { type: "string" } }), obj({ temp: { type: "number" } }), "forecast");
    const r = verdict(code, before, undefined, { siblings: [renamed] });
    expect(r.status).toBe("migration-needed");
    expect(r.hints[0]).toBe(
      "`get_forecast` was removed; `forecast` has the same schema: call `forecast` instead (main.ts:3); `skills compat --fix` does it",
    );
    const plan = planFixes(r.changes, {
      key: "weather/get_forecast",
      usage: r.usage,
      language: "typescript",
      sources: new Map([["main.ts", code]]),
      toolNames: {
        before: { python: "get_forecast", ts: "getForecast" },
        after: { python: "forecast", ts: "forecast" },
      },
    });
    expect(plan.manifest).toEqual([{ from: "weather/get_forecast", to: "weather/forecast" }]);
    expect(applyEdits(code, plan.edits)).toBe(code.replace(/getForecast/g, "forecast"));
  });

  it("--fix renames an argument (also written as a shorthand), an enum literal and a result field", () => {
    const code = [
      'import { getForecast } from "servers/weather";',
      "export async function run(input: { city: string }) {",
      "  const city = input.city;",
      "  const a = await getForecast({ city, units: 'imperial' });",
      '  const b = await getForecast({ "city": "Oslo" });',
      "  const { temp } = b;",
      "  return [a.temp, temp, b['temp']];",
      "}",
    ].join("\n");
    const before = tool(
      "1.0.0",
      obj({ city: { type: "string" }, units: { type: "string", enum: ["metric", "imperial"] } }, ["city"]),
      obj({ temp: { type: "number" } }, ["temp"]),
    );
    const after = tool(
      "2.0.0",
      obj({ location: { type: "string" }, units: { type: "string", enum: ["metric", "us"] } }, ["location"]),
      obj({ temp_c: { type: "number" } }, ["temp_c"]),
    );
    const r = verdict(code, before, after);
    expect(r.status).toBe("migration-needed");
    expect(r.changes.map((c) => [c.rule, c.severity])).toEqual([
      ["request-parameter-renamed", "migration-needed"],
      ["request-enum-value-renamed", "migration-needed"],
      ["response-field-renamed", "migration-needed"],
    ]);
    const plan = planFixes(r.changes, {
      key: "weather/get_forecast",
      usage: r.usage,
      language: "typescript",
      sources: new Map([["main.ts", code]]),
    });
    expect(plan.skipped).toEqual([]);
    expect(applyEdits(code, plan.edits).split("\n").slice(3, 7)).toEqual([
      "  const a = await getForecast({ location: city, units: 'us' });",
      '  const b = await getForecast({ "location": "Oslo" });',
      "  const { temp_c: temp } = b;",
      "  return [a.temp_c, temp, b['temp_c']];",
    ]);
  });
});

describe("applyEdits", () => {
  it("applies from the end and drops an edit that overlaps", () => {
    expect(
      applyEdits("abcdef", [
        { file: "f", span: [0, 1], text: "X" },
        { file: "f", span: [4, 6], text: "YZ!" },
        { file: "f", span: [3, 5], text: "no" },
      ]),
    ).toBe("XbcdYZ!");
  });
});
