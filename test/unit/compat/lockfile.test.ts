/** tools.lock.json: stable bytes, hashes, positions for every problem, and the schema file in schemas/. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ToolInfo } from "../../../src/contracts/tools.js";
import {
  buildLock,
  lockDrift,
  lockTool,
  parseLock,
  serializeLock,
  toolVersion,
} from "../../../src/core/compat/lockfile.js";
import { TOOLS_LOCK_SCHEMA } from "../../../src/core/compat/lockSchema.js";
import { schemaFingerprint } from "../../../src/core/testing/fingerprint.js";

const ROOT = join(import.meta.dirname, "../../..");

const forecast: ToolInfo = {
  server: "weather",
  serverInfo: { name: "weather-fixture", version: "1.0.0" },
  name: "get_forecast",
  description: "Weather forecast for a city.",
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  outputSchema: { type: "object", properties: { temp: { type: "number" } } },
  annotations: { readOnlyHint: true },
};

describe("tools.lock.json", () => {
  it("schemas/tools-lock.schema.json is the schema the code validates with", () => {
    expect(JSON.parse(readFileSync(join(ROOT, "schemas/tools-lock.schema.json"), "utf8"))).toEqual(TOOLS_LOCK_SCHEMA);
  });

  it("pins the raw entry with the cassette fingerprint and a hash of the whole entry", () => {
    const locked = lockTool(forecast, "2025-06-18");
    expect(locked).toEqual({
      server: "weather",
      serverInfo: { name: "weather-fixture", version: "1.0.0" },
      protocolVersion: "2025-06-18",
      version: "1.0.0",
      fingerprint: schemaFingerprint(forecast),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      tool: {
        name: "get_forecast",
        description: "Weather forecast for a city.",
        inputSchema: forecast.inputSchema,
        outputSchema: forecast.outputSchema,
        annotations: { readOnlyHint: true },
      },
    });
    // a new description changes the entry's hash, not the schema fingerprint
    const reworded = lockTool({ ...forecast, description: "Forecast, and it deletes files." }, "2025-06-18");
    expect(reworded.fingerprint).toBe(locked.fingerprint);
    expect(reworded.sha256).not.toBe(locked.sha256);
  });

  it("resolves ranges against the tool's own _meta.version when the server publishes one", () => {
    expect(toolVersion(forecast)).toBe("1.0.0");
    expect(toolVersion({ ...forecast, _meta: { version: "3.2.1" } })).toBe("3.2.1");
    expect(lockTool({ ...forecast, _meta: { version: "3.2.1" } }, "x").version).toBe("3.2.1");
  });

  it("writes the same bytes for the same tools, whatever the order they come in", () => {
    const alerts: ToolInfo = { ...forecast, name: "get_alerts", inputSchema: { type: "object" } };
    const a = serializeLock(
      buildLock([
        ["weather/get_forecast", lockTool(forecast, "p")],
        ["weather/get_alerts", lockTool(alerts, "p")],
      ]),
    );
    const b = serializeLock(
      buildLock([
        ["weather/get_alerts", lockTool(alerts, "p")],
        ["weather/get_forecast", lockTool(forecast, "p")],
      ]),
    );
    expect(a).toBe(b);
    expect(a).not.toMatch(/At"|\d{4}-\d\d-\d\dT/);
    expect(Object.keys(JSON.parse(a).tools)).toEqual(["weather/get_alerts", "weather/get_forecast"]);
    const parsed = parseLock(a, "tools.lock.json");
    expect(parsed.ok && parsed.warnings).toEqual([]);
    expect(serializeLock(parsed.ok ? parsed.value : (undefined as never))).toBe(a);
  });

  it("a lock that is not JSON names the line and column", () => {
    const text = '{\n  "lockfileVersion": 1,\n  "tools": {,}\n}\n';
    const parsed = parseLock(text, "skills/x/tools.lock.json");
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors[0]).toMatchObject({
      code: "LOCK_INVALID",
      file: "skills/x/tools.lock.json",
      line: 3,
      column: 13,
      hint: "run `skills lock` to write it again",
    });
    expect(!parsed.ok && parsed.errors[0]!.message).toMatch(/^not valid JSON: /);
  });

  it("a lock that breaks the schema names the pointer's position", () => {
    const good = JSON.parse(serializeLock(buildLock([["weather/get_forecast", lockTool(forecast, "p")]])));
    delete good.tools["weather/get_forecast"].fingerprint;
    const text = JSON.stringify(good, null, 2);
    const parsed = parseLock(text, "tools.lock.json");
    expect(!parsed.ok && parsed.errors[0]).toMatchObject({ line: 4, pointer: "/tools/weather~1get_forecast" });
    expect(!parsed.ok && parsed.errors[0]!.message).toContain('missing required key "fingerprint"');
  });

  it("an entry edited by hand is a warning with its position", () => {
    const lock = JSON.parse(serializeLock(buildLock([["weather/get_forecast", lockTool(forecast, "p")]])));
    lock.tools["weather/get_forecast"].tool.description = "edited";
    const parsed = parseLock(JSON.stringify(lock, null, 2), "tools.lock.json");
    expect(parsed.ok && parsed.warnings).toEqual([
      expect.objectContaining({
        code: "LOCK_EDITED",
        severity: "warning",
        line: 13,
        pointer: "/tools/weather~1get_forecast/sha256",
      }),
    ]);
  });

  it("lockDrift lists what --check finds stale", () => {
    const one = buildLock([["weather/get_forecast", lockTool(forecast, "p")]]);
    const other = buildLock([
      ["weather/get_forecast", lockTool({ ...forecast, serverInfo: { name: "w", version: "1.1.0" } }, "p")],
      ["weather/x", lockTool({ ...forecast, name: "x" }, "p")],
    ]);
    expect(lockDrift(one, other)).toEqual({ missing: ["weather/x"], extra: [], changed: ["weather/get_forecast"] });
    expect(lockDrift(one, one)).toEqual({ missing: [], extra: [], changed: [] });
  });
});
