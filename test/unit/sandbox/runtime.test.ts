/**
 * The SDK runtimes' unwrapping rules, the same table for both: TS (imported directly) and Python (run with
 * python3 on the real runtime/python/_runtime.py). Both files must also compile on their own.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ToolError, callTool, unwrapToolResult } from "../../../runtime/ts/_runtime.js";
import { RUNTIME_DIR } from "../../../src/sandbox/runtimeFiles.js";

const text = (t: string) => ({ type: "text", text: t });
const ok = (result: unknown) => ({ result });

const TABLE: [string, unknown, unknown][] = [
  ["structuredContent wins", ok({ content: [text("ignored")], structuredContent: { n: 1 } }), { n: 1 }],
  ["one JSON text item -> the value", ok({ content: [text('{"a":[1,2]}')] }), { a: [1, 2] }],
  ["several JSON text items -> a list", ok({ content: [text("1"), text('"two"')] }), [1, "two"]],
  ["non-JSON text -> the content list", ok({ content: [text("hello")] }), [text("hello")]],
  [
    "mixed content -> the content list",
    ok({ content: [text("1"), { type: "image", data: "x", mimeType: "image/png" }] }),
    [text("1"), { type: "image", data: "x", mimeType: "image/png" }],
  ],
  ["empty content -> empty list", ok({ content: [] }), []],
];

const ERRORS: [string, unknown, { code: string; message: string }][] = [
  [
    "isError -> ToolError with the joined text",
    ok({ isError: true, content: [text("disk"), text("on fire")] }),
    { code: "TOOL_ERROR", message: "disk\non fire" },
  ],
  [
    "isError without text",
    ok({ isError: true, content: [] }),
    { code: "TOOL_ERROR", message: "the tool reported an error" },
  ],
  [
    "host refusal -> its code",
    { error: { code: -32001, message: "not declared", data: { code: "TOOL_NOT_DECLARED" } } },
    { code: "TOOL_NOT_DECLARED", message: "not declared" },
  ],
  [
    "host error without data",
    { error: { code: -32603, message: "boom" } },
    { code: "TOOL_CALL_FAILED", message: "boom" },
  ],
];

describe("TS runtime", () => {
  test.each(TABLE)("%s", (_name, response, expected) => {
    expect(unwrapToolResult("s", "t", response as never)).toEqual(expected);
  });

  test.each(ERRORS)("%s", (_name, response, expected) => {
    let error: unknown;
    try {
      unwrapToolResult("s", "t", response as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ ...expected, server: "s", tool: "t" });
  });
});

describe("TS runtime outside a sandbox", () => {
  test("callTool rejects with BRIDGE_UNAVAILABLE when the bridge fd is not a socket", async () => {
    const previous = process.env.SKILLS_BRIDGE_FD;
    process.env.SKILLS_BRIDGE_FD = "987";
    try {
      await expect(callTool("s", "t", {})).rejects.toMatchObject({
        name: "ToolError",
        code: "BRIDGE_UNAVAILABLE",
        server: "s",
        tool: "t",
        message: expect.stringMatching(
          /^no tool bridge on fd 987: the generated SDK calls tools only inside a sandbox/,
        ),
      });
    } finally {
      if (previous === undefined) delete process.env.SKILLS_BRIDGE_FD;
      else process.env.SKILLS_BRIDGE_FD = previous;
    }
  });
});

describe("Python runtime", () => {
  const python = (script: string, input: unknown) =>
    JSON.parse(
      execFileSync(
        "/usr/bin/python3",
        [
          "-S",
          "-I",
          "-c",
          `import sys, json\nsys.path.insert(0, ${JSON.stringify(join(RUNTIME_DIR, "python"))})\n${script}`,
        ],
        {
          input: JSON.stringify(input),
          encoding: "utf8",
        },
      ),
    );

  test("unwraps exactly like the TS runtime", () => {
    const out = python(
      [
        "import _runtime",
        "cases = json.load(sys.stdin)",
        "out = []",
        "for response in cases:",
        "    try:",
        "        out.append({'value': _runtime.unwrap('s', 't', response)})",
        "    except _runtime.ToolError as e:",
        "        out.append({'error': {'code': e.code, 'message': e.message, 'server': e.server, 'tool': e.tool}})",
        "print(json.dumps(out))",
      ].join("\n"),
      [...TABLE.map((row) => row[1]), ...ERRORS.map((row) => row[1])],
    );
    expect(out).toEqual([
      ...TABLE.map((row) => ({ value: row[2] })),
      ...ERRORS.map((row) => ({ error: { ...row[2], server: "s", tool: "t" } })),
    ]);
  });

  test("imports fast: no asyncio, json, threading, re or enum at startup", () => {
    const dir = JSON.stringify(join(RUNTIME_DIR, "python"));
    const script = `import sys\nsys.path.insert(0, ${dir})\nimport _runtime, _worker\nprint(",".join(m for m in ("asyncio", "json", "threading", "re", "enum") if m in sys.modules))`;
    const out = execFileSync("/usr/bin/python3", ["-S", "-I", "-c", script], { encoding: "utf8" });
    expect(out.trim()).toBe("");
  });

  test("call_tool refuses non-dict arguments before touching the bridge", () => {
    const out = python(
      "import _runtime\ntry:\n    _runtime.call_tool('s', 't', [1])\nexcept _runtime.ToolError as e:\n    print(json.dumps([e.code, str(e)]))",
      null,
    );
    expect(out).toEqual(["TOOL_ARGS_INVALID", "s/t: arguments must be a dict, got list [TOOL_ARGS_INVALID]"]);
  });

  test("str(ToolError) names server/tool once, also when the host's message already starts with it", () => {
    const out = python(
      "import _runtime\nprint(json.dumps([str(_runtime.ToolError(m, 'C', 's', 't')) for m in ('s/t: refused', 'disk full')]))",
      null,
    );
    expect(out).toEqual(["s/t: refused [C]", "s/t: disk full [C]"]);
  });

  test("outside a sandbox (no bridge socket) call_tool raises BRIDGE_UNAVAILABLE saying where it works", () => {
    const out = python(
      "import os, _runtime\nos.environ['SKILLS_BRIDGE_FD'] = '987'\ntry:\n    _runtime.call_tool('s', 't', {})\nexcept _runtime.ToolError as e:\n    print(json.dumps([e.code, e.message]))",
      null,
    );
    expect(out).toEqual([
      "BRIDGE_UNAVAILABLE",
      "no tool bridge on fd 987: the generated SDK calls tools only inside a sandbox started by `skills run`, `skills exec` or `skills test`",
    ]);
  });

  test("the TS runtime type-checks under strict settings on its own (it is copied into every SDK)", () => {
    const tsc = join(RUNTIME_DIR, "..", "node_modules", "typescript", "bin", "tsc");
    const flags = [
      "--noEmit",
      "--strict",
      "--noUncheckedIndexedAccess",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
    ];
    execFileSync(process.execPath, [
      tsc,
      ...flags,
      "--target",
      "es2022",
      "--types",
      "node",
      "--skipLibCheck",
      join(RUNTIME_DIR, "ts", "_runtime.ts"),
    ]);
  }, 60_000);

  test("worker files compile", () => {
    execFileSync("/usr/bin/python3", [
      "-m",
      "py_compile",
      ...["_runtime.py", "_worker.py", "worker.py"].map((f) => join(RUNTIME_DIR, "python", f)),
    ]);
    execFileSync(process.execPath, ["--check", join(RUNTIME_DIR, "node", "worker.mjs")]);
  });
});
