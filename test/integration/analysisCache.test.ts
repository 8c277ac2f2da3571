/** The analysis cache: an unchanged file is answered from .skills/cache/analysis.json, a changed one is parsed again. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { analyserVersion } from "../../src/analysis/cache.js";
import { AnalysisCache, analyseSkills, typescriptAnalysisMissing } from "../../src/analysis/index.js";

let work: string;
const cacheDir = () => join(work, ".skills/cache");

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "skills-analysis-cache-"));
  await mkdir(join(work, "skill"), { recursive: true });
  await writeFile(
    join(work, "skill/main.ts"),
    'import { getForecast } from "servers/weather";\ngetForecast({ city: "x" });\n',
  );
  await writeFile(join(work, "skill/util.ts"), "export const unrelated = 1;\n");
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function run() {
  const cache = await AnalysisCache.open(cacheDir());
  const [result] = await analyseSkills([{ dir: join(work, "skill"), language: "typescript" }], { cache });
  await cache.save();
  return result!;
}

describe("analysis cache", () => {
  it("keeps a file's analysis by its text and uses it while the text is the same", async () => {
    const first = await run();
    expect(first.analyses.map((a) => a.file)).toEqual(["main.ts", "util.ts"]);
    expect(first.analyses[0]!.calls[0]!.args.map((a) => a.path[0])).toEqual(["city"]);
    const stored = JSON.parse(await readFile(join(cacheDir(), "analysis.json"), "utf8"));
    const keys = Object.keys(stored.entries);
    // util.ts never names the SDK: it is not parsed, so not cached
    expect(keys).toHaveLength(1);
    // an answer only the cache can give proves the file was not parsed again
    stored.entries[keys[0]!].calls[0].args[0].path = ["from-the-cache"];
    await writeFile(join(cacheDir(), "analysis.json"), JSON.stringify(stored));
    const second = await run();
    expect(second.analyses[0]!.calls[0]!.args[0]!.path).toEqual(["from-the-cache"]);
  });

  it("tells a caller whether a TypeScript skill's first file has a kept answer (to start the compiler early)", async () => {
    const skill = { dir: join(work, "skill"), language: "typescript" as const };
    expect(typescriptAnalysisMissing(skill, await AnalysisCache.open(join(work, "other-cache")))).toBe(true);
    await run();
    expect(typescriptAnalysisMissing(skill, await AnalysisCache.open(cacheDir()))).toBe(false);
    // a skill without code files needs no compiler
    await mkdir(join(work, "empty-skill"), { recursive: true });
    expect(
      typescriptAnalysisMissing(
        { dir: join(work, "empty-skill"), language: "typescript" },
        await AnalysisCache.open(cacheDir()),
      ),
    ).toBe(false);
  });

  it("parses a file again when its text changed, and keeps both answers", async () => {
    await writeFile(
      join(work, "skill/main.ts"),
      'import { getForecast } from "servers/weather";\ngetForecast({ location: "x" });\n',
    );
    const changed = await run();
    expect(changed.analyses[0]!.calls[0]!.args[0]!.path).toEqual(["location"]);
    const stored = JSON.parse(await readFile(join(cacheDir(), "analysis.json"), "utf8"));
    expect(Object.keys(stored.entries)).toHaveLength(2);
  });

  it("an entry of the wrong shape is no answer: the file is parsed again", async () => {
    const stored = JSON.parse(await readFile(join(cacheDir(), "analysis.json"), "utf8"));
    for (const key of Object.keys(stored.entries)) stored.entries[key] = { file: "main.ts", calls: "broken" };
    await writeFile(join(cacheDir(), "analysis.json"), JSON.stringify(stored));
    const result = await run();
    expect(result.analyses[0]!.calls[0]!.args[0]!.path).toEqual(["location"]);
  });

  it("an answer planted under the plain hash of the code (a committed cache) is not used", async () => {
    const source = await readFile(join(work, "skill/main.ts"), "utf8");
    const plain = createHash("sha256");
    for (const part of [analyserVersion("typescript"), "main.ts", source]) plain.update(part).update("\u0000");
    const planted = {
      file: "main.ts",
      language: "typescript",
      diagnostics: [],
      calls: [],
      imports: [],
      opaqueModules: [],
    };
    await writeFile(
      join(cacheDir(), "analysis.json"),
      JSON.stringify({ format: 1, entries: { [plain.digest("hex")]: planted } }),
    );
    const result = await run();
    expect(result.analyses[0]!.calls[0]!.args[0]!.path).toEqual(["location"]);
  });

  it("a cache that cannot be read or written costs time, never the answer", async () => {
    const blocked = join(work, "blocked");
    // a folder where the cache file should be: it cannot be read, and the atomic rename over it fails
    await mkdir(join(blocked, "analysis.json"), { recursive: true });
    const cache = await AnalysisCache.open(blocked);
    const [result] = await analyseSkills([{ dir: join(work, "skill"), language: "typescript" }], { cache });
    await cache.save();
    expect(result!.analyses[0]!.calls[0]!.args[0]!.path).toEqual(["location"]);
    expect((await readdir(blocked)).sort()).toEqual(["analysis.json"]);
  });

  it("a cache file that is not JSON is an empty cache", async () => {
    await writeFile(join(cacheDir(), "analysis.json"), "{ not json");
    const result = await run();
    expect(result.analyses[0]!.calls[0]!.args[0]!.path).toEqual(["location"]);
    expect(JSON.parse(await readFile(join(cacheDir(), "analysis.json"), "utf8")).format).toBe(1);
  });
});
