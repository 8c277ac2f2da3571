// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${workspaceFolder} is the token cassettes store, not a template
import { describe, expect, it } from "vitest";
import { absolutizePaths, relativizePaths } from "../../../src/core/testing/workspacePaths.js";

const ROOT = "/home/ada/project";

describe("relativizePaths", () => {
  it.each([
    ["/home/ada/project", "${workspaceFolder}"],
    ["/home/ada/project/src/a.py", "${workspaceFolder}/src/a.py"],
    ["a\n/home/ada/project/x\n/home/ada/project/y", "a\n${workspaceFolder}/x\n${workspaceFolder}/y"],
    ["denied: /etc not in /home/ada/project", "denied: /etc not in ${workspaceFolder}"],
    ['["/home/ada/project/x"]', '["${workspaceFolder}/x"]'],
    ["[FILE] /home/ada/project: ok", "[FILE] ${workspaceFolder}: ok"],
    // Another folder that only starts with the same letters is not the project.
    ["/home/ada/project2/x", "/home/ada/project2/x"],
    ["/home/ada/project-old", "/home/ada/project-old"],
    ["/home/ada/projects", "/home/ada/projects"],
    ["no path here", "no path here"],
  ])("%j -> %j", (text, expected) => {
    expect(relativizePaths(text, ROOT)).toBe(expected);
    expect(relativizePaths(text, `${ROOT}/`)).toBe(expected);
  });

  it("walks objects and arrays, keys untouched, other values as they are", () => {
    const value = { "/home/ada/project": 1, a: ["/home/ada/project/b", 2, null, true, { c: "/home/ada/project" }] };
    expect(relativizePaths(value, ROOT)).toEqual({
      "/home/ada/project": 1,
      a: ["${workspaceFolder}/b", 2, null, true, { c: "${workspaceFolder}" }],
    });
  });

  it("leaves everything alone for a root of /", () => {
    expect(relativizePaths({ a: "/etc/passwd" }, "/")).toEqual({ a: "/etc/passwd" });
  });

  it("round-trips through another checkout", () => {
    const recorded = relativizePaths({ path: "/home/ada/project/src", text: "/home/ada/project/src/a.py" }, ROOT);
    expect(absolutizePaths(recorded, "/ci/build")).toEqual({ path: "/ci/build/src", text: "/ci/build/src/a.py" });
    expect(absolutizePaths(recorded, ROOT)).toEqual({ path: `${ROOT}/src`, text: `${ROOT}/src/a.py` });
  });
});
