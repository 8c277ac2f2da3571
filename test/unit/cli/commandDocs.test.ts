/** Every command of the CLI has its page under docs/commands/ and its row in docs/cli.md. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../../src/cli/commands.js";

const DOCS = join(import.meta.dirname, "../../../docs");
const cli = readFileSync(join(DOCS, "cli.md"), "utf8");

describe("the docs of each command", () => {
  it.each(COMMANDS.map((spec) => spec.command.split(" ")[0]!))("skills %s", (name) => {
    const page = join(DOCS, "commands", `${name}.md`);
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, "utf8").split("\n")[0]).toMatch(new RegExp(`^# \`skills ${name}( [a-z]+)?\`$`));
    expect(cli).toMatch(
      new RegExp(`^\\| \`skills ${name}[ \`].*\\| \\[${name}\\]\\(commands/${name}\\.md\\) \\|$`, "m"),
    );
  });
});
