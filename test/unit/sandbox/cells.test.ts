import { describe, expect, test } from "vitest";
import { splitCells } from "../../../src/sandbox/cells.js";

describe("splitCells", () => {
  test.each([
    ["python: no markers is one cell", "x = 1\ny = 2", "python", [{ code: "x = 1\ny = 2", line: 1 }]],
    [
      "python: markers split, titles kept, lines point at the cell's first line",
      "# %% load\nx = 1\n# %%\ny = 2\n",
      "python",
      [
        { code: "x = 1", line: 2, title: "load" },
        { code: "y = 2\n", line: 4 },
      ],
    ],
    [
      "python: code before the first marker is a cell",
      "a = 1\n#%% b\nb = 2",
      "python",
      [
        { code: "a = 1", line: 1 },
        { code: "b = 2", line: 3, title: "b" },
      ],
    ],
    ["empty cells are dropped", "# %%\n\n# %%\nz = 1", "python", [{ code: "z = 1", line: 4 }]],
    [
      "typescript uses // %%",
      "// %% one\nconst a = 1;\n// %% two\nconst b = a;",
      "typescript",
      [
        { code: "const a = 1;", line: 2, title: "one" },
        { code: "const b = a;", line: 4, title: "two" },
      ],
    ],
    [
      "a # %% line is not a marker in typescript",
      "const a = '# %%';\n# %%",
      "typescript",
      [{ code: "const a = '# %%';\n# %%", line: 1 }],
    ],
    [
      "CRLF line endings",
      "# %%\r\nx = 1\r\n# %%\r\ny = 2",
      "python",
      [
        { code: "x = 1", line: 2 },
        { code: "y = 2", line: 4 },
      ],
    ],
  ] as const)("%s", (_name, source, language, expected) => {
    expect(splitCells(source, language)).toEqual(expected);
  });
});
