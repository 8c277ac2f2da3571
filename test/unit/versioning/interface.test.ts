/** The interface diff of a skill and the bump it needs: tables of before -> after -> rules and bump. */
import { describe, expect, it } from "vitest";
import type { SkillInterface } from "../../../src/contracts/versioning.js";
import { RULES } from "../../../src/core/compat/rules.js";
import {
  bumpForRule,
  diffSkillInterface,
  requiredBump,
  SKILL_RULES,
  skillInterface,
} from "../../../src/core/versioning/index.js";

const base: SkillInterface = {
  name: "weather",
  description: "Weather for a city. Use it for forecasts.",
  input: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  output: { type: "object", properties: { temp: { type: "number" } }, required: ["temp"] },
  tools: { "weather/get_forecast": "^1.0.0" },
};

const withInput = (input: Record<string, unknown>): SkillInterface => ({ ...base, input });
const withOutput = (output: Record<string, unknown>): SkillInterface => ({ ...base, output });
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties,
  ...(required.length > 0 ? { required } : {}),
});

describe("the required bump, as the issue lists it", () => {
  const cases: [string, SkillInterface, string[], string][] = [
    [
      "a new required input",
      withInput(obj({ city: { type: "string" }, units: { type: "string" } }, ["city", "units"])),
      ["new-required-request-parameter"],
      "major",
    ],
    ["a removed output field", withOutput(obj({})), ["response-field-removed"], "major"],
    [
      "a narrowed input type",
      withInput(obj({ city: { type: "string", maxLength: 20 } }, ["city"])),
      ["request-constraint-added"],
      "major",
    ],
    [
      "an input whose type changed",
      withInput(obj({ city: { type: "integer" } }, ["city"])),
      ["request-type-changed"],
      "major",
    ],
    ["a renamed skill", { ...base, name: "forecast" }, ["skill-renamed"], "major"],
    [
      "a new optional input",
      withInput(obj({ city: { type: "string" }, days: { type: "integer" } }, ["city"])),
      ["request-parameter-added"],
      "minor",
    ],
    [
      "a new output field",
      withOutput(obj({ temp: { type: "number" }, wind: { type: "number" } }, ["temp"])),
      ["response-field-added"],
      "minor",
    ],
    [
      "a new tool dependency",
      { ...base, tools: { ...base.tools, "weather/get_alerts": "^1.0.0" } },
      ["tool-dependency-added"],
      "minor",
    ],
    ["a removed tool dependency", { ...base, tools: {} }, ["tool-dependency-removed"], "patch"],
    ["a tool range changed", { ...base, tools: { "weather/get_forecast": "^2.0.0" } }, ["tool-range-changed"], "patch"],
    ["a new description", { ...base, description: "Forecasts. Use it for weather." }, ["description-changed"], "patch"],
    [
      "an input that accepts more",
      withInput(obj({ city: { type: ["string", "null"] } }, ["city"])),
      ["request-type-widened"],
      "patch",
    ],
    [
      "an input that became optional",
      withInput(obj({ city: { type: "string" } })),
      ["request-parameter-became-optional"],
      "patch",
    ],
    [
      "an output field that may now be missing",
      withOutput(obj({ temp: { type: "number" } })),
      ["response-field-became-optional"],
      "major",
    ],
  ];

  it.each(cases)("%s", (_, after, rules, bump) => {
    const changes = diffSkillInterface(base, after);
    expect(changes.map((c) => c.rule)).toEqual(rules);
    expect(requiredBump(changes, ["manifest.yaml"])).toBe(bump);
  });

  it("nothing changed: none; only tests or cassettes: none; code or SKILL.md: patch", () => {
    expect(diffSkillInterface(base, base)).toEqual([]);
    expect(requiredBump([], [])).toBe("none");
    expect(requiredBump([], ["tests/basic.yaml", "cassettes/basic.json"])).toBe("none");
    expect(requiredBump([], ["tests/basic.yaml", "main.py"])).toBe("patch");
    expect(requiredBump([], ["SKILL.md"])).toBe("patch");
    expect(requiredBump([], ["tools.lock.json"])).toBe("patch");
  });

  it("the largest change decides", () => {
    const after: SkillInterface = {
      ...base,
      input: obj({ city: { type: "string" }, days: { type: "integer" } }, ["city"]),
      output: obj({}),
    };
    expect(requiredBump(diffSkillInterface(base, after), [])).toBe("major");
  });
});

describe("changes say where and what", () => {
  it("points into manifest.yaml and speaks of the skill's input and output", () => {
    const after = withInput(obj({ city: { type: "string" }, units: { type: "string" } }, ["city", "units"]));
    const [change] = diffSkillInterface(base, after);
    expect(change).toMatchObject({
      rule: "new-required-request-parameter",
      direction: "request",
      effect: "breaking",
      bump: "major",
      path: "/input/properties/units",
      field: ["units"],
      message: "input: new required argument `units`",
    });
    const [removed] = diffSkillInterface(base, withOutput(obj({})));
    expect(removed).toMatchObject({
      path: "/output/properties/temp",
      message: "output: result field `temp` was removed",
    });
  });

  it("a schema that appears where there was none narrows the input (major) and adds to the output (minor)", () => {
    const bare: SkillInterface = { name: "weather", tools: {} };
    const input = diffSkillInterface(bare, { ...bare, input: obj({ city: { type: "string" } }, ["city"]) });
    expect(requiredBump(input, [])).toBe("major");
    const output = diffSkillInterface(bare, { ...bare, output: obj({ temp: { type: "number" } }) });
    expect(requiredBump(output, [])).toBe("minor");
  });
});

describe("every rule has a bump", () => {
  it("breaking compat rules need major; additions minor; the rest patch", () => {
    for (const rule of RULES) {
      const expected =
        rule.effect === "breaking"
          ? "major"
          : rule.id === "request-parameter-added" || rule.id === "response-field-added"
            ? "minor"
            : "patch";
      expect([rule.id, bumpForRule(rule.id)]).toEqual([rule.id, expected]);
    }
  });

  it("the skill's own rules have stable ids that do not collide with compat's", () => {
    const compatIds = new Set(RULES.map((r) => r.id as string));
    expect(SKILL_RULES.filter((r) => compatIds.has(r.id))).toEqual([]);
    expect(SKILL_RULES.map((r) => r.id)).toEqual([
      "skill-renamed",
      "tool-dependency-added",
      "tool-dependency-removed",
      "tool-range-changed",
      "description-changed",
    ]);
  });
});

describe("skillInterface", () => {
  it("takes the name and description from SKILL.md and the rest from the manifest", () => {
    const iface = skillInterface(
      { name: "m", version: "1.2.0", input: { type: "object" }, tools: { "a/b": "^1" } },
      { name: "f", description: "D" },
      "folder",
    );
    expect(iface).toEqual({
      name: "f",
      description: "D",
      version: "1.2.0",
      input: { type: "object" },
      tools: { "a/b": "^1" },
    });
    expect(skillInterface(undefined, undefined, "folder")).toEqual({ name: "folder", tools: {} });
  });
});
