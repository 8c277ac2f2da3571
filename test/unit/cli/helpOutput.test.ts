/** main() prints the help and the version to the stdout it is given (cac itself writes them with console.info). */
import { describe, expect, it, vi } from "vitest";
import { skillsInProcess } from "../../helpers/cli.js";
import { VERSION } from "../../../src/version.js";

describe("help and version from main()", () => {
  it.each([[["--help"]], [["help", "exec"]], [["exec", "--help"]], [[]]])(
    "skills %j prints to main's stdout, nothing to the process's",
    async (args) => {
      const info = vi.spyOn(console, "info");
      try {
        const { code, out, err } = await skillsInProcess(args, process.cwd());
        expect(code).toBe(0);
        expect(err).toBe("");
        expect(out).toMatch(/^skills\/\d+\.\d+\.\d+\n\nUsage:\n {2}\$ skills /);
        if (args.includes("exec")) expect(out).toContain("--code <source>");
        expect(info).not.toHaveBeenCalled();
      } finally {
        info.mockRestore();
      }
    },
  );

  it("--version prints the version line to main's stdout", async () => {
    const { code, out } = await skillsInProcess(["--version"], process.cwd());
    expect(code).toBe(0);
    expect(out).toBe(`skills/${VERSION} ${process.platform}-${process.arch} node-${process.version}\n`);
  });
});
