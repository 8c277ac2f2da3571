/** The examples in docs/skill-format.md are a valid skill: build it from the docs and validate it strictly. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSkill } from "../../src/store/loadSkill.js";

const docs = await readFile(join(import.meta.dirname, "../../docs/skill-format.md"), "utf8");
const blocks = [...docs.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
let work: string | undefined;

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("docs/skill-format.md examples", () => {
  it("SKILL.md, manifest.yaml and the Python entry form a skill that passes --strict", async () => {
    const skillMd = blocks.find((b) => b.lang === "markdown" && b.text.startsWith("---\nname: find-large-files"));
    const manifest = blocks.find((b) => b.lang === "yaml" && b.text.includes("name: find-large-files"));
    const entry = blocks.find((b) => b.lang === "python" && b.text.includes("def run(input)"));
    expect(skillMd && manifest && entry).toBeTruthy();
    work = await mkdtemp(join(tmpdir(), "skills-docs-"));
    const dir = join(work, "find-large-files");
    await mkdir(dir);
    await writeFile(join(dir, "SKILL.md"), skillMd!.text);
    await writeFile(join(dir, "manifest.yaml"), manifest!.text);
    await writeFile(join(dir, "main.py"), entry!.text);
    const result = await loadSkill(dir, { strict: true });
    expect(result.ok ? result.warnings : result.errors).toEqual([]);
  });

  it("the skills.config.json example is valid", async () => {
    const { loadProjectConfig } = await import("../../src/store/config.js");
    const config = blocks.find((b) => b.lang === "json" && b.text.includes('"roots"'));
    expect(config).toBeTruthy();
    work ??= await mkdtemp(join(tmpdir(), "skills-docs-"));
    const project = join(work, "project");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "skills.config.json"), config!.text);
    await expect(loadProjectConfig(project)).resolves.toMatchObject({ pii: "default", warmPool: 2 });
  });
});
