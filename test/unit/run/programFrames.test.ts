/** The program's own frames of a traceback: what the CLI and execute_code show of a failed run. */
import { describe, expect, it } from "vitest";
import { programFrames } from "../../../src/core/run/programFrames.js";

const PY_TRACEBACK = `Traceback (most recent call last):
  File "/runtime/_runtime.py", line 88, in _execute
    exec(code, namespace)
  File "<program>", line 4, in <module>
    total = helper(2)
  File "<program>", line 2, in helper
    return 1 / 0
ZeroDivisionError: division by zero
`;

describe("programFrames", () => {
  it.each([
    [
      "Python: the program's frames, the header and the exception; the runtime's frame counted",
      PY_TRACEBACK,
      [
        "Traceback (most recent call last):",
        '  File "<program>", line 4, in <module>',
        "    total = helper(2)",
        '  File "<program>", line 2, in helper',
        "    return 1 / 0",
        "ZeroDivisionError: division by zero",
      ].join("\n"),
      1,
    ],
    [
      "Python: a skill's frames stay, the standard library's and the runtime's go",
      [
        '  File "/skill/main.py", line 3, in run',
        "    helper()",
        '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads',
        "    return _default_decoder.decode(s)",
        '  File "/runtime/python/_runtime.py", line 176, in unwrap',
        "    raise ToolError(...)",
        "ToolError: boom",
      ].join("\n"),
      ['  File "/skill/main.py", line 3, in run', "    helper()", "ToolError: boom"].join("\n"),
      2,
    ],
    [
      "Python: a session cell's frames stay",
      "  File \"<cell 2>\", line 1, in <module>\nNameError: name 'x' is not defined",
      "  File \"<cell 2>\", line 1, in <module>\nNameError: name 'x' is not defined",
      0,
    ],
    [
      "JavaScript: node's internals and the runtime's lines go",
      "Error: boom\n    at run (program.ts:2:9)\n    at node:internal/modules/esm/module_job:325:25\n    at /runtime/worker.mjs:10:3",
      "Error: boom\n    at run (program.ts:2:9)",
      2,
    ],
    [
      "JavaScript: the generated SDK's runtime goes",
      "ToolError: no\n    at call (servers/_runtime.ts:40:11)\n    at run (program.ts:5:3)",
      "ToolError: no\n    at run (program.ts:5:3)",
      1,
    ],
    [
      "a stack of the program only is unchanged",
      "Error: x\n    at run (program.ts:1:1)\n",
      "Error: x\n    at run (program.ts:1:1)",
      0,
    ],
  ])("%s", (_what, stack, text, hidden) => {
    expect(programFrames(stack)).toEqual({ text, hidden });
  });
});
