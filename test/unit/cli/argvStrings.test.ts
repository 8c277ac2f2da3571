/** Option values reach the commands as typed: the argv parser does not turn " ", "0x10" or "007" into numbers. */
import { describe, expect, it } from "vitest";
import { createContext } from "../../../src/cli/context.js";
import { buildCli } from "../../../src/cli/main.js";
import { parseKeepingStrings, protectArgv } from "../../../src/cli/parse/argvStrings.js";

function parse(...args: string[]) {
  const cli = buildCli(createContext({ env: {} }));
  parseKeepingStrings(cli, ["node", "skills", ...args]);
  return { command: cli.matchedCommandName, args: cli.args, options: cli.options };
}

describe("parseKeepingStrings", () => {
  it.each([
    [" ", " "],
    ["", ""],
    ["0x10", "0x10"],
    ["1e3", "1e3"],
    ["007", "007"],
    [" 12 ", " 12 "],
  ])("exec --code %j gives the program %j", (code, expected) => {
    const { command, options } = parse("exec", "--lang", "python", "--code", code);
    expect(command).toBe("exec");
    expect(options.code).toEqual([expected]);
  });

  it.each([
    [["--code"], "option `--code <source>` value is missing"],
    // A value that starts with "-" is an option to the parser: --code is then given no value.
    [["--code", "-0"], "option `--code <source>` value is missing"],
    [["--config", "a.json", "--config"], "option `--config <file>` value is missing"],
  ])("a repeatable option without a value is refused: %j", (args, message) => {
    expect(() => parse("exec", "--lang", "python", ...args)).toThrow(message);
  });

  it("keeps `--option=value` values, empty ones included", () => {
    expect(parse("exec", "--code=", "--input=1.50").options).toMatchObject({ code: [""], input: ["1.50"] });
  });

  it("keeps every value of a repeatable option, and positional arguments", () => {
    const { args, options } = parse("run", "0x1", "--config", "007", "--config", "08");
    expect(args).toEqual(["0x1"]);
    expect(options.config).toEqual(["007", "08"]);
  });

  it("leaves numbers that read back the same, booleans and what follows --", () => {
    const { options } = parse("exec", "--timeout", "5000", "--json", "--code", "1", "--", "0x10");
    expect(options).toMatchObject({ timeout: 5000, json: true, code: ["1"], "--": ["0x10"] });
    expect(protectArgv(["node", "skills", "exec", "--", " "])).toEqual(["node", "skills", "exec", "--", " "]);
  });

  it("does not touch the program and script paths before the arguments", () => {
    expect(protectArgv(["007", "0x1", "exec", "--code", "0x1"])).toEqual(["007", "0x1", "exec", "--code", "\u00000x1"]);
  });
});
