/**
 * The `--input` of `skills run` / `skills exec`: JSON text or `@file` (JSON, or YAML for .yaml/.yml), parsed with
 * positions, then validated against the manifest's input schema (ajv, defaults applied). Every error names where.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { SchemaError, SchemaValidator } from "../../contracts/schema.js";
import { schemaValidator } from "../../core/schema/index.js";
import { SkillsError } from "../../errors.js";
import { joinPointer, parseJsonWithPositions } from "../../core/json/index.js";
import type { JsonObject } from "../../contracts/json.js";

export interface ParsedInput {
  value: unknown;
  /** Where the input came from: the file, or "--input". */
  source: string;
  /** Line:column of a JSON pointer in the input text, when known. */
  locate?: (pointer: string) => { line: number; column: number } | undefined;
}

export interface ValidatedInput {
  value: unknown;
  warnings: string[];
}

const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export async function parseInputArgument(raw: string | undefined, cwd: string): Promise<ParsedInput> {
  if (raw === undefined || raw === "") return { value: {}, source: "--input" };
  if (!raw.startsWith("@")) return parseInputText(raw, "--input");
  const file = resolve(cwd, raw.slice(1));
  if (raw.length === 1) {
    throw new SkillsError("USAGE", "--input @ needs a file name", { hint: "write --input @input.json" });
  }
  let text: string;
  try {
    const data = await readFile(file);
    if (data.byteLength > MAX_INPUT_BYTES) {
      throw new SkillsError("INPUT_INVALID", `input file is too large (${data.byteLength} bytes, limit 16 MiB)`, {
        file: raw.slice(1),
        hint: "pass a smaller input; large data belongs in a file the skill reads through a tool",
      });
    }
    text = data.toString("utf8");
  } catch (error) {
    if (error instanceof SkillsError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SkillsError("NOT_FOUND", `cannot read the input file ${raw.slice(1)}: ${code ?? String(error)}`, {
      file: raw.slice(1),
      hint: "check the path after @ (it is relative to the current folder)",
    });
  }
  if (/\.ya?ml$/i.test(file)) {
    // The YAML parser is loaded for YAML input only: most input is JSON on the command line.
    const { parseYaml } = await import("../../core/yaml/index.js");
    return parseYamlInput(text, raw.slice(1), parseYaml);
  }
  return parseInputText(text, raw.slice(1));
}

/** Parses JSON input text, keeping positions for later error messages. */
export function parseInputText(text: string, source: string): ParsedInput {
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) {
    throw new SkillsError("INPUT_INVALID", `input is not valid JSON: ${parsed.message}`, {
      file: source,
      line: parsed.position.line,
      column: parsed.position.column,
      hint:
        source === "--input"
          ? `quote the JSON for your shell, e.g. --input '{"path": "src"}'`
          : "fix the JSON at this position (or use a .yaml file for YAML input)",
    });
  }
  const positions = parsed.positions;
  return { value: parsed.value, source, locate: (pointer) => positions.get(pointer) };
}

type YamlParser = typeof import("../../core/yaml/index.js").parseYaml;

function parseYamlInput(text: string, source: string, parseYaml: YamlParser): ParsedInput {
  const parsed = parseYaml(text, { file: source });
  if (!parsed.ok) {
    const first = parsed.errors[0];
    throw new SkillsError("INPUT_INVALID", `input is not valid YAML: ${first?.message ?? "syntax error"}`, {
      file: source,
      line: first?.line,
      column: first?.column,
      hint: first?.hint ?? "fix the YAML syntax",
    });
  }
  return {
    value: parsed.value,
    source,
    locate: (pointer) => {
      try {
        return parsed.locate(pointer);
      } catch {
        return undefined;
      }
    },
  };
}

function compile(schema: JsonObject, schemaFile: string): SchemaValidator {
  try {
    return schemaValidator("skillInput", schema);
  } catch (error) {
    throw new SkillsError("MANIFEST_INVALID", `the input schema cannot be compiled: ${(error as Error).message}`, {
      file: schemaFile,
      pointer: "/input",
      hint: "fix the `input` JSON Schema in manifest.yaml (`skills validate` checks it)",
    });
  }
}

/** Validates (a copy of) the input against the schema; defaults are filled in. Throws INPUT_INVALID with the pointer. */
export function validateInput(schema: JsonObject | undefined, input: ParsedInput, schemaFile: string): ValidatedInput {
  if (!schema) return { value: input.value, warnings: [] };
  const value = structuredClone(input.value);
  const errors = compile(schema, schemaFile).validate(value);
  if (errors.length === 0) return { value, warnings: [] };
  const first = errors[0];
  const pointer = first ? errorPointer(first) : "";
  const where = input.locate?.(pointer) ?? (first ? input.locate?.(first.pointer) : undefined);
  const details = errors.slice(0, 5).map((error) => `  ${errorPointer(error) || "/"}: ${describe(error)}`);
  throw new SkillsError(
    "INPUT_INVALID",
    `input does not match the skill's input schema${errors.length > 1 ? ` (${errors.length} errors)` : ""}:\n${details.join("\n")}`,
    {
      file: input.source,
      line: where?.line,
      column: where?.column,
      pointer: pointer || "/",
      errors: errors.map((error) => ({ pointer: errorPointer(error), message: describe(error) })),
      hint: `the input schema is in ${schemaFile} under \`input\``,
    },
  );
}

function errorPointer(error: SchemaError): string {
  if (error.keyword === "required") {
    const missing = error.params.missingProperty;
    return typeof missing === "string" ? joinPointer(error.pointer, missing) : error.pointer;
  }
  if (error.keyword === "additionalProperties") {
    const extra = error.params.additionalProperty;
    return typeof extra === "string" ? joinPointer(error.pointer, extra) : error.pointer;
  }
  return error.pointer;
}

function describe(error: SchemaError): string {
  if (error.keyword === "required") return `required property "${String(error.params.missingProperty)}" is missing`;
  if (error.keyword === "additionalProperties") {
    return `unknown property "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === "enum") return `${error.message}: ${JSON.stringify(error.params.allowedValues)}`;
  return error.message;
}
