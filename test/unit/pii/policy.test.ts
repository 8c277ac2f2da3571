import { describe, expect, it } from "vitest";
import { SkillsError } from "../../../src/errors.js";
import { BUILTIN_PII_TYPES, isPiiMode, policyFromManifest } from "../../../src/core/pii/index.js";

function errorOf(fn: () => unknown): SkillsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SkillsError) return error;
    throw error;
  }
  throw new Error("expected a SkillsError");
}

describe("policyFromManifest", () => {
  it("defaults to every built-in detector in default mode", () => {
    const policy = policyFromManifest();
    expect(policy.mode).toBe("default");
    expect([...policy.types].sort()).toEqual([...BUILTIN_PII_TYPES].sort());
    expect(policy.patterns).toEqual([]);
  });

  it("takes the exec flag over the manifest over the config default", () => {
    expect(policyFromManifest({ mode: "strict" }, "off", "default").mode).toBe("off");
    expect(policyFromManifest({ mode: "strict" }, undefined, "off").mode).toBe("strict");
    expect(policyFromManifest({}, undefined, "off").mode).toBe("off");
  });

  it("limits detectors to privacy.tokenize and compiles custom patterns", () => {
    const policy = policyFromManifest({
      tokenize: ["email", "phone"],
      patterns: [{ name: "employee_id", regex: "E-\\d{6}" }],
      ignore_fields: ["Owner", "/a/*/b"],
    });
    expect([...policy.types]).toEqual(["email", "phone"]);
    expect(policy.patterns[0]?.regex.flags).toBe("g");
    expect([...policy.ignoreKeys]).toEqual(["owner"]);
    expect(policy.ignorePointers).toEqual([["a", "*", "b"]]);
  });

  it.each([
    [{ tokenize: ["email", "passport"] }, "/privacy/tokenize/1", "unknown detector"],
    [{ patterns: [{ name: "Bad Name", regex: "x" }] }, "/privacy/patterns/0/name", "invalid or duplicate name"],
    [{ patterns: [{ name: "email", regex: "x" }] }, "/privacy/patterns/0/name", "invalid or duplicate name"],
    [
      {
        patterns: [
          { name: "a", regex: "x" },
          { name: "a", regex: "y" },
        ],
      },
      "/privacy/patterns/1/name",
      "invalid or duplicate name",
    ],
    [{ patterns: [{ name: "broken", regex: "(E-\\d" }] }, "/privacy/patterns/0/regex", "invalid regex"],
    [{ patterns: [{ name: "empty", regex: "\\d*" }] }, "/privacy/patterns/0/regex", "matches the empty string"],
  ])("rejects %j at %s", (privacy, pointer, message) => {
    const error = errorOf(() => policyFromManifest(privacy));
    expect(error.code).toBe("MANIFEST_INVALID");
    expect(error.data.pointer).toBe(pointer);
    expect(error.message).toContain(message);
    expect(error.data.hint).toBeTruthy();
  });

  it("rejects an unknown mode", () => {
    const error = errorOf(() => policyFromManifest(undefined, "loud" as never));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.data.hint).toContain("off, default, strict");
    expect(isPiiMode("strict")).toBe(true);
    expect(isPiiMode("loud")).toBe(false);
  });
});
