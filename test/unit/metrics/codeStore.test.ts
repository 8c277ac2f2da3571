/** The code of exec runs beside the log: stored once by hash, read back only when it still matches its hash. */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { codePath, codeSha256, readRunCode, storeRunCode } from "../../../src/store/runLog/code.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function logPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "skills-code-"));
  dirs.push(dir);
  return join(dir, "runs", "runs.jsonl");
}

describe("the code store", () => {
  it("stores a program once under its sha256 and reads it back", async () => {
    const log = await logPath();
    const code = "result = 1\n";
    const sha = codeSha256(code);
    const path = storeRunCode(log, code, "python");
    expect(path).toBe(join(log, "..", "code", `${sha}.py`));
    expect(storeRunCode(log, code, "python")).toBe(path);
    expect(await readdir(join(log, "..", "code"))).toEqual([`${sha}.py`]);
    expect(readRunCode(log, sha, "python")).toBe(code);
    expect(codePath(log, sha, "typescript").endsWith(".ts")).toBe(true);
  });

  it("gives nothing for a file changed since, a missing one, or a hash that is not one", async () => {
    const log = await logPath();
    const sha = codeSha256("result = 2\n");
    const path = storeRunCode(log, "result = 2\n", "python");
    await writeFile(path, "result = 3\n");
    expect(readRunCode(log, sha, "python")).toBeUndefined();
    expect(readRunCode(log, codeSha256("never stored"), "python")).toBeUndefined();
    expect(readRunCode(log, "../../../etc/passwd", "python")).toBeUndefined();
    expect(() => codePath(log, "../x", "python")).toThrow("not a sha256");
  });
});
