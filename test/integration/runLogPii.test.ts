/**
 * PII never reaches the run log: every value of the PII corpus goes through real runs — as tool results read from
 * the real filesystem server (by exec and by a skill), as a program's input, in its result, its logs and its error —
 * and then the whole log folder (records, rotated files, kept code) is searched for each value.
 */
import { readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skillsSync } from "../helpers/cli.js";
import { type TempProject, tempProject } from "../helpers/project.js";

interface CorpusItem {
  input: string;
  expect: { type: string; value: string }[];
}

const corpus = JSON.parse(
  await readFile(join(import.meta.dirname, "../fixtures/pii/corpus.json"), "utf8"),
) as CorpusItem[];
const values = [...new Set(corpus.flatMap((item) => item.expect.map((e) => e.value)))];

let p: TempProject;
beforeAll(async () => {
  p = await tempProject({}, "skills-runlog-pii-");
  await writeFile(join(p.dir, "corpus.txt"), corpus.map((item) => item.input).join("\n----\n"));
});
afterAll(async () => {
  await p?.remove();
});

async function allText(dir: string): Promise<string> {
  let text = "";
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    text += entry.isDirectory() ? await allText(path) : `${await readFile(path, "utf8")}\n`;
  }
  return text;
}

const READ = `from servers.filesystem import read_text_file
def text():
    answer = read_text_file(path=CORPUS)
    return answer["content"] if isinstance(answer, dict) else answer[0]["text"]
`;

describe("the run log holds no personal data", () => {
  it("after the PII corpus went through exec runs and a skill run", async () => {
    const corpusPath = join(p.dir, "corpus.txt");
    const exec = (code: string, extra: string[] = []) =>
      skillsSync(
        [
          "exec",
          "--lang",
          "python",
          "--tools",
          "filesystem/read_text_file",
          "--code",
          `CORPUS = ${JSON.stringify(corpusPath)}\n${READ}${code}`,
          ...extra,
        ],
        { cwd: p.dir, env: p.env, timeout: 120_000 },
      );
    // The values come back in the result and the logs (as tokens, since PII tokenization is on by default)...
    const returned = exec(`t = text()\nprint(t[:3000])\nresult = {"lines": t.count("\\n"), "text": t}\n`);
    expect(returned.code).toBe(0);
    // ...in an error message...
    const raised = exec(`t = text()\nraise ValueError("bad record: " + t[:400])\n`);
    expect(raised.code).toBe(1);
    // ...with PII tokenization off, as plain values in the result, the logs and the error...
    const plain = exec(`t = text()\nprint(t[:2000])\nraise KeyError(t[:300])\n`, ["--pii", "off"]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain(corpus[0]!.expect[0]!.value);
    // ...and as the program's input.
    const input = JSON.stringify({ values: values.slice(0, 200) });
    const given = skillsSync(
      [
        "exec",
        "--lang",
        "python",
        "--input",
        input,
        "--code",
        "def run(input):\n    return {'n': len(input['values']), 'first': input['values'][0]}\n",
      ],
      { cwd: p.dir, env: p.env },
    );
    expect(given.code).toBe(0);
    // A skill that reads the corpus through its declared tool.
    const skill = join(p.dir, "skills", "read-corpus");
    await mkdir(skill, { recursive: true });
    await writeFile(
      join(skill, "SKILL.md"),
      "---\nname: read-corpus\ndescription: Reads a text file and returns it. Use it in tests.\n---\n\n# read-corpus\n",
    );
    await writeFile(
      join(skill, "manifest.yaml"),
      "name: read-corpus\nversion: 1.0.0\nlanguage: python\nentry: main.py\ninput: { type: object }\noutput: { type: object }\ntools:\n  filesystem/read_text_file: '*'\n",
    );
    await writeFile(
      join(skill, "main.py"),
      `${READ.replace("CORPUS", "input['path']").replace("def text():", "def text(input):")}\ndef run(input):\n    t = text(input)\n    print(t[:1000])\n    return {"text": t}\n`,
    );
    const ran = skillsSync(["run", "read-corpus", "--input", JSON.stringify({ path: corpusPath })], {
      cwd: p.dir,
      env: p.env,
      timeout: 120_000,
    });
    expect(ran.code).toBe(0);

    const log = await allText(join(p.dir, ".skills", "runs"));
    const records = log.split("\n").filter((line) => line.startsWith("{"));
    expect(records.length).toBe(5);
    const leaked = values.filter((value) => value.length >= 5 && log.includes(value));
    expect(leaked).toEqual([]);
    // Nor any whole corpus line of some length.
    const lines = corpus.map((item) => item.input).filter((line) => line.length >= 20);
    expect(lines.filter((line) => log.includes(line))).toEqual([]);
    // What the records do say: tokens were counted and PII was tokenized.
    const parsed = records.map((line) => JSON.parse(line) as { tokens_in: number; pii?: Record<string, number> });
    expect(parsed[0]!.tokens_in).toBeGreaterThan(1000);
    expect(Object.keys(parsed[0]!.pii ?? {}).length).toBeGreaterThan(3);
  }, 240_000);
});
