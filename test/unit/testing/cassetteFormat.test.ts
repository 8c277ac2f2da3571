import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { schemaFingerprint } from "../../../src/core/testing/fingerprint.js";
import { parseCassette } from "../../../src/core/testing/parseCassette.js";
import { CASSETTE_SCHEMA, TEST_CASE_SCHEMA } from "../../../src/core/testing/schemas.js";

const inputSchema = { type: "object", properties: { path: { type: "string" } } };
const good = {
  version: 1,
  servers: { fs: { name: "fs-server", version: "1.0.0" } },
  tools: [
    {
      server: "fs",
      serverInfo: { name: "fs-server", version: "1.0.0" },
      name: "read",
      inputSchema,
      fingerprint: schemaFingerprint({ inputSchema }),
    },
  ],
  calls: [
    { server: "fs", tool: "read", arguments: { path: "a" }, result: { content: [{ type: "text", text: "hi" }] } },
  ],
};

describe("schemas/ files", () => {
  it("are the schemas the code validates with (regenerate them from src/core/testing/schemas.ts)", () => {
    expect(JSON.parse(readFileSync("schemas/test-case.schema.json", "utf8"))).toEqual(TEST_CASE_SCHEMA);
    expect(JSON.parse(readFileSync("schemas/cassette.schema.json", "utf8"))).toEqual(CASSETTE_SCHEMA);
  });
});

describe("parseCassette", () => {
  it("accepts a good cassette", () => {
    const result = parseCassette(JSON.stringify(good, null, 2), "c.json");
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it("reports broken JSON with its line", () => {
    const result = parseCassette('{\n  "version": 1,\n  "calls": [,]\n}', "c.json");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code: "CASSETTE_INVALID", line: 3, file: "c.json" });
    expect(result.errors[0]?.message).toMatch(/not valid JSON/);
    expect(result.errors[0]?.hint).toMatch(/--record/);
  });

  it("reports schema problems with their line", () => {
    const bad = structuredClone(good) as Record<string, unknown>;
    (bad.calls as Record<string, unknown>[])[0] = { server: "fs", tool: "read", arguments: {} };
    const result = parseCassette(JSON.stringify(bad, null, 2), "c.json");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.code).toBe("CASSETTE_INVALID");
    expect(result.errors[0]?.line).toBeGreaterThan(10);
    expect(result.errors[0]?.pointer).toBe("/calls/0");
  });

  it("rejects a cassette of another format version", () => {
    const result = parseCassette(JSON.stringify({ ...good, version: 2 }), "c.json");
    expect(result.ok).toBe(false);
  });

  it("warns when a recorded schema no longer matches its fingerprint", () => {
    const edited = structuredClone(good);
    edited.tools[0]!.inputSchema = { type: "object" } as typeof inputSchema;
    const result = parseCassette(JSON.stringify(edited, null, 2), "c.json");
    expect(result.ok).toBe(true);
    expect(result.warnings[0]).toMatchObject({
      code: "FINGERPRINT_MISMATCH",
      severity: "warning",
      pointer: "/tools/0/fingerprint",
    });
    expect(result.warnings[0]?.message).toMatch(/fs\/read was edited after recording/);
  });
});
