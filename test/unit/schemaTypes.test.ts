/**
 * The schemas are the source of truth: the interfaces in src/contracts/skill.ts must name exactly the schema's
 * properties, with the same optionality. Read with the TypeScript compiler API, so a stale interface fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const schema = (name: string) => JSON.parse(readFileSync(join(ROOT, "schemas", `${name}.schema.json`), "utf8"));
const source = ts.createSourceFile(
  "types.ts",
  readFileSync(join(ROOT, "src/contracts/skill.ts"), "utf8"),
  ts.ScriptTarget.ES2022,
);

function members(name: string): Record<string, "required" | "optional"> {
  const out: Record<string, "required" | "optional"> = {};
  ts.forEachChild(source, (node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || !member.name) continue;
        const key = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(source);
        out[key] = member.questionToken ? "optional" : "required";
      }
    }
  });
  return out;
}

function schemaMembers(node: {
  properties: Record<string, unknown>;
  required?: string[];
}): Record<string, "required" | "optional"> {
  return Object.fromEntries(
    Object.keys(node.properties).map((key) => [key, node.required?.includes(key) ? "required" : "optional"]),
  );
}

describe("types.ts matches the schemas", () => {
  const manifest = schema("manifest");
  it.each([
    ["Manifest", manifest],
    ["ManifestLimits", manifest.properties.limits],
    ["ManifestPrivacy", manifest.properties.privacy],
    ["SkillFrontmatter", schema("skill-frontmatter")],
  ])("%s", (name, node) => {
    expect(members(name)).toEqual(schemaMembers(node));
  });

  it("SkillLanguage lists the manifest's languages", () => {
    let languages: string[] = [];
    ts.forEachChild(source, (node) => {
      if (ts.isTypeAliasDeclaration(node) && node.name.text === "SkillLanguage" && ts.isUnionTypeNode(node.type)) {
        languages = node.type.types.map((t) => t.getText(source).replace(/"/g, ""));
      }
    });
    expect(languages).toEqual(manifest.properties.language.enum);
  });

  it("ManifestPrivacy.mode lists the schema's modes", () => {
    expect(readFileSync(join(ROOT, "src/contracts/skill.ts"), "utf8")).toContain("mode?: PiiMode;");
    expect(readFileSync(join(ROOT, "src/contracts/privacy.ts"), "utf8")).toContain(
      `export type PiiMode = ${manifest.properties.privacy.properties.mode.enum.map((m: string) => `"${m}"`).join(" | ")};`,
    );
  });
});

describe("PII detector names agree", () => {
  it("schema enum, validator and the PII core list the same detectors", async () => {
    const { PII_DETECTORS } = await import("../../src/core/validate/manifest.js");
    const { BUILTIN_PII_TYPES } = await import("../../src/core/pii/types.js");
    const enumValues = schema("manifest").properties.privacy.properties.tokenize.items.enum;
    expect(enumValues).toEqual([...PII_DETECTORS]);
    expect([...BUILTIN_PII_TYPES]).toEqual([...PII_DETECTORS]);
  });
});

describe("config.schema.json matches ProjectConfig", () => {
  it("every configurable key is a ProjectConfig field", () => {
    const configSource = ts.createSourceFile(
      "config.ts",
      readFileSync(join(ROOT, "src/store/config.ts"), "utf8"),
      ts.ScriptTarget.ES2022,
    );
    const fields: string[] = [];
    ts.forEachChild(configSource, (node) => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === "ProjectConfig") {
        for (const member of node.members) if (member.name) fields.push(member.name.getText(configSource));
      }
    });
    const keys = Object.keys(schema("config").properties).filter((key) => key !== "$schema");
    expect(keys.filter((key) => !fields.includes(key))).toEqual([]);
    expect(fields.filter((field) => !keys.includes(field))).toEqual(["root", "configFile"]);
  });
});

describe("schemas are valid JSON Schema 2020-12", () => {
  // the fileFormat profile does not check our own schemas against the meta-schema at run time: this does, for each
  const shipped = readdirSync(join(ROOT, "schemas"))
    .filter((file) => file.endsWith(".schema.json"))
    .map((file) => file.replace(/\.schema\.json$/, ""));

  it("covers every schema in schemas/", () => {
    expect(shipped).toEqual(
      expect.arrayContaining([
        "manifest",
        "skill-frontmatter",
        "config",
        "mcp-config",
        "test-case",
        "cassette",
        "tools-lock",
      ]),
    );
  });

  it.each(shipped)("%s is valid against the 2020-12 meta-schema and compiles in strict mode", async (name) => {
    const { Ajv2020 } = await import("ajv/dist/2020.js");
    const ajv = new Ajv2020({ strict: true, strictRequired: false });
    expect(ajv.validateSchema(schema(name)), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema(name))).not.toThrow();
    expect(schema(name).$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });
});
