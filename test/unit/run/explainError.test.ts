/** A failed run's error as a new user needs it: a table of errors in, codes, messages and hints out. */
import { describe, expect, it } from "vitest";
import { explainRunError, sandboxHint, undeclaredImport } from "../../../src/core/run/explainError.js";
import type { RunError } from "../../../src/contracts/run.js";

const programError = (message: string): RunError => ({ code: "PROGRAM_ERROR", message });
const MANIFEST = { file: "skills/report/manifest.yaml", toolsLine: 6, limitsLine: 9 };

describe("undeclaredImport", () => {
  it.each([
    ["python", "ModuleNotFoundError: No module named 'servers.memory'", { folder: "memory" }],
    [
      "python",
      "ImportError: cannot import name 'read_file' from 'servers.filesystem' (servers/filesystem/__init__.py)",
      { folder: "filesystem", name: "read_file" },
    ],
    ["python", "ImportError: cannot import name 'memory' from 'servers' (servers/__init__.py)", { folder: "memory" }],
    ["python", "ModuleNotFoundError: No module named 'requests'", undefined],
    [
      "typescript",
      'program.ts:1:10: No matching export in "servers/filesystem/index.ts" for import "readFile"',
      { folder: "filesystem", name: "readFile" },
    ],
    [
      "typescript",
      'main.ts:1:27: no generated SDK module "servers/memory": is the tool declared (manifest tools, or --tools)?',
      { folder: "memory" },
    ],
    ["typescript", "TypeError: x is not a function", undefined],
  ] as const)("%s: %s", (language, message, expected) => {
    expect(undeclaredImport(programError(message), language)).toEqual(expected);
  });
});

describe("explainRunError", () => {
  it("an undeclared tool of a skill: TOOL_NOT_DECLARED with the manifest line to add", () => {
    const error = explainRunError(
      {
        ...programError("ImportError: cannot import name 'read_file' from 'servers.filesystem'"),
        file: "skills/report/main.py",
        line: 1,
      },
      {
        language: "python",
        manifest: MANIFEST,
        imported: { key: "filesystem/read_file", range: "^0.2.0" },
        servers: ["filesystem"],
      },
    );
    expect(error).toEqual({
      code: "TOOL_NOT_DECLARED",
      message:
        "the program imports read_file from servers/filesystem, but filesystem/read_file is not declared: the generated SDK has only the tools the skill declares",
      hint: 'declare it under `tools:` in skills/report/manifest.yaml:6:\n    filesystem/read_file: "^0.2.0"',
      file: "skills/report/main.py",
      line: 1,
    });
  });

  it("an undeclared tool of an exec: the --tools to pass", () => {
    const error = explainRunError(
      programError('program.ts:1:10: No matching export in "servers/filesystem/index.ts" for import "readFile"'),
      {
        language: "typescript",
        declared: ["filesystem/list_directory"],
        imported: { key: "filesystem/read_file" },
        servers: ["filesystem"],
      },
    );
    expect(error.code).toBe("TOOL_NOT_DECLARED");
    expect(error.hint).toBe("allow it with --tools filesystem/list_directory,filesystem/read_file");
  });

  it("a server .mcp.json does not configure: says so", () => {
    const error = explainRunError(programError("ModuleNotFoundError: No module named 'servers.github'"), {
      language: "python",
      manifest: MANIFEST,
      servers: ["filesystem", "memory"],
    });
    expect(error.message).toBe(
      'the program imports servers/github, which is not a tool the skill declares (and .mcp.json configures no server "github")',
    );
    expect(error.hint).toBe(
      'declare the tool under `tools:` in skills/report/manifest.yaml:6 as "<server>/<tool>": <range>; `skills tools search` finds its name; add the server "github" to .mcp.json first',
    );
  });

  it("TOOL_CALL_LIMIT names limits.max_tool_calls, its value and its line", () => {
    const error = explainRunError(
      programError(
        "ToolError: filesystem/list_directory: the program made more than 3 tool calls (max_tool_calls) [TOOL_CALL_LIMIT]",
      ),
      { language: "python", manifest: MANIFEST, maxToolCalls: 3 },
    );
    expect(error).toMatchObject({
      code: "TOOL_CALL_LIMIT",
      message: "the program made more tool calls than limits.max_tool_calls (3) allows",
      hint: "raise limits.max_tool_calls in skills/report/manifest.yaml:9, or make fewer calls (one call that returns more, or stop early)",
    });
  });

  it("keeps the host's code of another uncaught ToolError, and leaves a tool's own error alone", () => {
    expect(
      explainRunError(programError("ToolError: a/b: invalid arguments at /path: must be string [TOOL_ARGS_INVALID]"), {
        language: "typescript",
      }).code,
    ).toBe("TOOL_ARGS_INVALID");
    expect(
      explainRunError(programError("ToolError: a/b: no such file [TOOL_ERROR]"), { language: "python" }).code,
    ).toBe("PROGRAM_ERROR");
    // A program's own exception that merely mentions a code is not the host's refusal.
    expect(explainRunError(programError("ValueError: [TOOL_CALL_LIMIT]"), { language: "python" }).code).toBe(
      "PROGRAM_ERROR",
    );
  });

  it("leaves an error it knows nothing about as it was", () => {
    const error = programError("ZeroDivisionError: division by zero");
    expect(explainRunError(error, { language: "python" })).toBe(error);
  });
});

describe("sandboxHint", () => {
  it.each([
    [
      "python",
      "ModuleNotFoundError: No module named 'requests'",
      /standard library only.*"requests" cannot be imported/,
    ],
    ["python", "ModuleNotFoundError: No module named 'yaml.loader'", /"yaml" cannot be imported/],
    ["python", "URLError: <urlopen error [Errno -3] Temporary failure in name resolution>", /no network/],
    ["python", "OSError: [Errno 101] Network is unreachable", /no network/],
    ["typescript", "TypeError: fetch failed (cause: getaddrinfo EAI_AGAIN example.com)", /no network/],
    ["typescript", 'program.ts:1:19: Could not resolve "axios": no such package', /node_modules folder there/],
  ] as const)("%s: %s", (language, message, hint) => {
    expect(sandboxHint(programError(message), language)).toMatch(hint);
  });

  it("says nothing about other errors", () => {
    expect(sandboxHint(programError("KeyError: 'name'"), "python")).toBeUndefined();
    expect(sandboxHint(programError('Could not resolve "servers/memory"'), "typescript")).toBeUndefined();
  });
});
