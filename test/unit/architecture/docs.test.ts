/** docs/architecture.md names real places: every src/ path it mentions exists, and it names every folder of src/. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const page = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");

describe("docs/architecture.md", () => {
  it("mentions only paths that exist", () => {
    const paths = [...page.matchAll(/\b((?:src|runtime|test|schemas)\/[\w./-]*[\w/])/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(20);
    const placeholders = /<\w+>/;
    expect(paths.filter((path) => !placeholders.test(path) && !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it("describes every folder of src/ and of src/core/", () => {
    const folders = (dir: string) =>
      readdirSync(join(ROOT, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${dir}/${entry.name}/`);
    for (const folder of folders("src")) expect(page).toContain(folder);
    for (const folder of folders("src/core")) expect(page).toContain(`${folder.replace("src/core/", "")}`);
  });

  it("is linked from the README's documentation list", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("(docs/architecture.md)");
  });
});
