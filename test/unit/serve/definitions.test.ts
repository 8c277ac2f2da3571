/**
 * The tool list `skills serve` puts into every client's context: small (at most 1,500 o200k_base tokens), complete
 * (each tool has a description, input and output schemas, annotations) and honest in its hints.
 */
import { describe, expect, it } from "vitest";
import { TOOL_DEFINITIONS, toolListText } from "../../../src/commands/serve/definitions.js";
import { countTokens } from "../../../src/core/discovery/index.js";
import { metaSchemaErrors } from "../../../src/core/schema/index.js";

describe("the served tool list", () => {
  it("costs at most 1,500 tokens", async () => {
    const tokens = await countTokens(toolListText());
    expect(tokens).toBeGreaterThan(500);
    expect(tokens).toBeLessThanOrEqual(1500);
  });

  it("has the six tools, each fully described", () => {
    expect(TOOL_DEFINITIONS.map((tool) => tool.name)).toEqual([
      "search_tools",
      "execute_code",
      "list_skills",
      "get_skill",
      "run_skill",
      "save_skill",
    ]);
    for (const tool of TOOL_DEFINITIONS) {
      expect(tool.description.length, tool.name).toBeGreaterThan(20);
      expect(tool.inputSchema.type, tool.name).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      expect(tool.annotations, tool.name).toBeDefined();
      expect(metaSchemaErrors(tool.inputSchema), tool.name).toEqual([]);
      expect(metaSchemaErrors(tool.outputSchema!), tool.name).toEqual([]);
    }
  });

  it("marks what only reads as read-only, and save_skill as destructive", () => {
    const hints = Object.fromEntries(TOOL_DEFINITIONS.map((tool) => [tool.name, tool.annotations]));
    for (const name of ["search_tools", "list_skills", "get_skill"]) expect(hints[name]?.readOnlyHint, name).toBe(true);
    for (const name of ["execute_code", "run_skill", "save_skill"]) expect(hints[name]?.readOnlyHint, name).toBe(false);
    expect(hints.save_skill?.destructiveHint).toBe(true);
    expect(hints.execute_code?.destructiveHint).toBe(false);
  });
});
