/**
 * The tool argument validators kept beside a catalog cache file: written once per tool list, loaded and used by the
 * validator factory instead of compiling; ignored (never run) when stale, writable by others, or not a plain file.
 */
import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ToolInfo } from "../../../src/contracts/tools.js";
import { schemaValidator } from "../../../src/core/schema/index.js";
import { findPrecompiled } from "../../../src/core/schema/precompiled.js";
import {
  loadToolValidators,
  useToolValidators,
  validatorsPath,
  writeToolValidators,
} from "../../../src/mcp/catalog/validators.js";

let dir: string;
let cacheFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-validators-"));
  cacheFile = join(dir, "catalog-0123456789abcdef.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tool whose schema no other test registers (the factory's registry lives as long as the process). */
function tool(): ToolInfo {
  const field = `f_${randomUUID().replaceAll("-", "")}`;
  return {
    server: "s",
    serverInfo: { name: "s", version: "1.0.0" },
    name: "t",
    inputSchema: {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { [field]: { type: "string", enum: ["a", "b"] } },
      required: [field],
    },
  };
}

const textOf = (info: ToolInfo) => JSON.stringify(info.inputSchema);
const fieldOf = (info: ToolInfo) => (info.inputSchema.required as string[])[0]!;

describe("tool argument validators beside the catalog", () => {
  it("are written once and then used by the factory, answering as a compiled schema does", async () => {
    const info = tool();
    await writeToolValidators(cacheFile, [info]);
    expect(findPrecompiled("toolArguments", textOf(info), "first")).toBeUndefined();
    expect(await loadToolValidators(cacheFile, [info])).toBe(true);
    expect(findPrecompiled("toolArguments", textOf(info), "first")).toBeTypeOf("function");
    const validator = schemaValidator("toolArguments", info.inputSchema);
    const field = fieldOf(info);
    expect(validator.validate({ [field]: "a" })).toEqual([]);
    const errors = validator.validate({ [field]: "c" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ pointer: `/${field}`, keyword: "enum" });
    expect(validator.validate({})[0]).toMatchObject({ keyword: "required" });
  });

  it("a file made for another tool list is ignored, and a run rewrites it for its own", async () => {
    const old = tool();
    await writeToolValidators(cacheFile, [old]);
    const current = tool();
    expect(await loadToolValidators(cacheFile, [current])).toBe(false);
    expect(findPrecompiled("toolArguments", textOf(current), "first")).toBeUndefined();
    await useToolValidators({ tools: [current], servers: { s: { cacheFile } } }, ["s"]);
    expect(findPrecompiled("toolArguments", textOf(current), "first")).toBeTypeOf("function");
    expect(await readFile(validatorsPath(cacheFile), "utf8")).toContain(fieldOf(current));
  });

  it("a file others may write is never run", async () => {
    const info = tool();
    await writeToolValidators(cacheFile, [info]);
    await chmod(validatorsPath(cacheFile), 0o666);
    expect(await loadToolValidators(cacheFile, [info])).toBe(false);
    await chmod(validatorsPath(cacheFile), 0o620);
    expect(await loadToolValidators(cacheFile, [info])).toBe(false);
    expect(findPrecompiled("toolArguments", textOf(info), "first")).toBeUndefined();
  });

  it("a link in the file's place is not followed", async () => {
    const info = tool();
    const elsewhere = join(dir, "elsewhere.cjs");
    await writeToolValidators(join(dir, "elsewhere.json"), [info]);
    await symlink(elsewhere, validatorsPath(cacheFile));
    expect(await loadToolValidators(cacheFile, [info])).toBe(false);
    expect(findPrecompiled("toolArguments", textOf(info), "first")).toBeUndefined();
  });

  it("a file with the right first line but no table is refused, not thrown", async () => {
    const info = tool();
    await writeToolValidators(cacheFile, [info]);
    const file = validatorsPath(cacheFile);
    const header = (await readFile(file, "utf8")).split("\n")[0];
    await writeFile(file, `${header}\nmodule.exports.PRECOMPILED = 42;\n`, { mode: 0o644 });
    expect(await loadToolValidators(cacheFile, [info])).toBe(false);
    expect(await loadToolValidators(join(dir, "missing.json"), [info])).toBe(false);
  });

  it("no cache file (a list that could not be cached): nothing is written, the factory compiles on use", async () => {
    const info = tool();
    await useToolValidators({ tools: [info], servers: { s: {} } }, ["s"]);
    expect(findPrecompiled("toolArguments", textOf(info), "first")).toBeUndefined();
    expect(schemaValidator("toolArguments", info.inputSchema).validate({ [fieldOf(info)]: "b" })).toEqual([]);
  });
});
