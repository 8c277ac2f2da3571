/**
 * docs/ci.md shows the workflows `skills init` writes: the check in full, the comment up to its script (the page
 * summarises the script in one line). A change to a template that the page does not follow fails here.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = resolve(import.meta.dirname, "../../..");
const page = readFileSync(join(ROOT, "docs/ci.md"), "utf8");
const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The template without its leading comment lines (the page says the same in prose). */
function template(file: string): string {
  return readFileSync(join(ROOT, "templates/workflows", file), "utf8").replace(/^(#.*\n)+/, "");
}

function block(name: string): string {
  const found = blocks.find((text) => text.startsWith(`name: ${name}\n`));
  if (!found) throw new Error(`docs/ci.md has no yaml block of the workflow "${name}"`);
  return found;
}

describe("docs/ci.md", () => {
  it("shows skills.yml exactly as skills init writes it", () => {
    expect(block("skills")).toBe(template("skills.yml"));
  });

  it("shows skills-comment.yml as written up to its script, and valid YAML", () => {
    const cut = (text: string) => text.slice(0, text.indexOf("script: |"));
    const shown = block("skills comment");
    expect(cut(shown).length).toBeGreaterThan(100);
    expect(cut(shown)).toBe(cut(template("skills-comment.yml")));
    expect(parse(shown).jobs.comment.steps).toHaveLength(2);
  });
});
