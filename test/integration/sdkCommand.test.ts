/**
 * `skills sdk`: the command function (real servers through the pool, atomic tree swap, every failure path) and the
 * CLI around it (in-process via main(), and the built binary for the "done when").
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseSdkLanguage } from "../../src/cli/parse/sdk.js";
import { SDK_MARKER, sdk, writeTree } from "../../src/commands/sdk.js";
import { SkillsError } from "../../src/errors.js";
import { REPO, compilePython, compileTs, tempDir } from "../unit/codegen/helpers.js";
import { npmServer } from "../helpers/testServers.js";

const exec = promisify(execFile);

function capture(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(args: string[], cwd = REPO): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(["node", "skills", ...args], {
    cwd,
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

async function expectSkillsError(promise: Promise<unknown>, code: string, message: RegExp): Promise<SkillsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SkillsError);
  expect((error as SkillsError).code).toBe(code);
  expect((error as SkillsError).message).toMatch(message);
  return error as SkillsError;
}

describe("skills sdk (command)", () => {
  let out: string;

  beforeAll(async () => {
    out = await tempDir("sdk-cmd");
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("writes the tree for the real servers, with a marker, and reports what it wrote", async () => {
    const ticks: string[] = [];
    const result = await sdk({
      cwd: REPO,
      out,
      lang: "both",
      refresh: true,
      onProgress: (stage, done, total) => ticks.push(`${stage} ${done}/${total}`),
    });
    expect(result.ok).toBe(true);
    expect(ticks.filter((tick) => tick.startsWith("servers"))).toEqual(["servers 1/3", "servers 2/3", "servers 3/3"]);
    expect(ticks.at(-1)).toBe(`files ${result.files + 1}/${result.files + 1}`);
    expect(result.dir).toBe(join(out, "servers"));
    expect(result.replaced).toBe(false);
    expect(result.servers.map((server) => server.server).sort()).toEqual(["everything", "filesystem", "memory"]);
    const files = await tree(result.dir);
    expect(files).toContain("filesystem/read_text_file.py");
    expect(files).toContain("filesystem/read_text_file.ts");
    expect(files).toContain("_runtime.py");
    expect(files).toContain(SDK_MARKER);
    expect(files.filter((file) => /\.(py|ts)$/.test(file))).toHaveLength(result.files);
    const marker = JSON.parse(await readFile(join(result.dir, SDK_MARKER), "utf8"));
    expect(marker).toMatchObject({ generator: "skills sdk", lang: "both" });
    const leftovers = (await readdir(out)).filter((name) => name !== "servers");
    expect(leftovers).toEqual([]);
  }, 60_000);

  it("replaces its own earlier tree: a narrower run leaves only what it generated", async () => {
    const result = await sdk({ cwd: REPO, out, lang: "python", servers: ["memory"] });
    expect(result.replaced).toBe(true);
    const files = await tree(result.dir);
    expect(files.some((file) => file.startsWith("filesystem"))).toBe(false);
    expect(files.some((file) => file.endsWith(".ts"))).toBe(false);
    expect(files).toContain("memory/create_entities.py");
    expect((await readdir(out)).sort()).toEqual(["servers"]);
  }, 60_000);

  it("leaves the old tree intact when a server fails, and names the server", async () => {
    const configDir = await tempDir("sdk-cmd-broken");
    try {
      await writeFile(
        join(configDir, ".mcp.json"),
        JSON.stringify({
          mcpServers: {
            memory: {
              command: npmServer("memory"),
              env: { MEMORY_FILE_PATH: join(configDir, "m.jsonl") },
            },
            broken: { command: process.execPath, args: [join(REPO, "test", "fixtures", "servers", "exitAtOnce.mjs")] },
          },
        }),
      );
      const before = await tree(join(out, "servers"));
      const error = await expectSkillsError(
        sdk({ cwd: configDir, out }),
        "SERVER_START_FAILED",
        /server "broken" failed, so no SDK was written/,
      );
      expect(error.data.hint).toBe("fix the server, or leave it out with --servers memory");
      expect(await tree(join(out, "servers"))).toEqual(before);
      expect((await readdir(out)).sort()).toEqual(["servers"]);
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("--check compares the tree on disk with a fresh one and writes nothing", async () => {
    const fresh = await sdk({ cwd: REPO, out, lang: "python", servers: ["memory"], check: true });
    expect(fresh.ok).toBe(true);
    expect(fresh.check).toEqual({ upToDate: true, added: [], changed: [], removed: [] });
    const dir = join(out, "servers");
    await mkdir(join(dir, "memory", "__pycache__"), { recursive: true });
    await writeFile(join(dir, "memory", "__pycache__", "read_graph.cpython-311.pyc"), "bytecode is ignored");
    expect((await sdk({ cwd: REPO, out, lang: "python", servers: ["memory"], check: true })).ok).toBe(true);
    await writeFile(join(dir, "memory", "read_graph.py"), "edited by hand\n");
    await writeFile(join(dir, "memory", "stray.py"), "x = 1\n");
    await rm(join(dir, "memory", "open_nodes.py"));
    const before = await tree(dir);
    const stale = await sdk({ cwd: REPO, out, lang: "python", servers: ["memory"], check: true });
    expect(stale.ok).toBe(false);
    expect(stale.check).toEqual({
      upToDate: false,
      added: ["servers/memory/open_nodes.py"],
      changed: ["servers/memory/read_graph.py"],
      removed: ["servers/memory/stray.py"],
    });
    expect(await tree(dir)).toEqual(before);
    const cliRun = await cli(["sdk", "--check", "--lang", "python", "--servers", "memory", "--out", out]);
    expect(cliRun.code).toBe(1);
    expect(cliRun.stdout).toContain("is stale: regenerate it with `skills sdk`");
    expect(cliRun.stdout).toContain("~ servers/memory/read_graph.py");
    expect(cliRun.stdout).toContain("+ servers/memory/open_nodes.py");
    expect(cliRun.stdout).toContain("- servers/memory/stray.py");
    await sdk({ cwd: REPO, out, lang: "python", servers: ["memory"] });
    const ok = await cli(["sdk", "--check", "--lang", "python", "--servers", "memory", "--out", out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/is up to date \(\d+ files, 9 tools\)/);
  }, 60_000);

  it("refuses to replace a servers/ folder it did not generate, or a file", async () => {
    const foreign = await tempDir("sdk-cmd-foreign");
    try {
      await mkdir(join(foreign, "servers"));
      await writeFile(join(foreign, "servers", "mine.txt"), "keep me");
      await expectSkillsError(sdk({ cwd: REPO, out: foreign }), "OUTPUT_EXISTS", /was not generated by skills sdk/);
      expect(await readFile(join(foreign, "servers", "mine.txt"), "utf8")).toBe("keep me");
      const fileOut = join(foreign, "file");
      await mkdir(fileOut);
      await writeFile(join(fileOut, "servers"), "a file");
      await expectSkillsError(sdk({ cwd: REPO, out: fileOut }), "OUTPUT_EXISTS", /is not a folder/);
    } finally {
      await rm(foreign, { recursive: true, force: true });
    }
  });

  it("reports a missing config, an unknown server, and a bad language", async () => {
    const empty = await tempDir("sdk-cmd-empty");
    try {
      await expectSkillsError(sdk({ cwd: empty, out: empty }), "MCP_CONFIG_NOT_FOUND", /no \.mcp\.json/);
      await expectSkillsError(
        sdk({ cwd: REPO, out: empty, servers: ["nope"] }),
        "SERVER_NOT_FOUND",
        /no server "nope"/,
      );
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    expect(() => parseSdkLanguage("rust")).toThrow(/--lang must be ts, python or both, not "rust"/);
    expect(parseSdkLanguage(undefined)).toBe("both");
  });

  it("writeTree cleans up after a run that was killed mid-write, and restores a tree killed mid-swap", async () => {
    const dir = await tempDir("sdk-cmd-abandoned");
    try {
      // pid 2^22+1 is above Linux's pid_max, so no process has it.
      const dead = 4194305;
      await mkdir(join(dir, `servers.tmp-${dead}-abcd1234`, "memory"), { recursive: true });
      await mkdir(join(dir, `servers.old-${dead}-abcd1234`));
      await writeFile(join(dir, `servers.old-${dead}-abcd1234`, "kept.py"), "x = 1\n");
      await mkdir(join(dir, `servers.tmp-${process.pid}-00000000`));
      const replaced = await writeTree(join(dir, "servers"), [{ path: "servers/a.py", content: "a = 1\n" }]);
      // The backup was the tree (servers/ was missing), so it came back and was then replaced by the new tree.
      expect(replaced).toBe(true);
      expect(await tree(join(dir, "servers"))).toEqual(["a.py"]);
      expect((await readdir(dir)).sort()).toEqual(["servers", `servers.tmp-${process.pid}-00000000`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writeTree cleans up and keeps the old tree when writing fails", async () => {
    const dir = await tempDir("sdk-cmd-write");
    try {
      await writeTree(join(dir, "servers"), [{ path: "servers/a.py", content: "x = 1\n" }]);
      // A path that cannot be written (a file where a folder must go) makes the staging write fail.
      const bad = [
        { path: "servers/b", content: "file" },
        { path: "servers/b/c.py", content: "no" },
      ];
      await expectSkillsError(writeTree(join(dir, "servers"), bad), "OUTPUT_WRITE_FAILED", /cannot write the SDK/);
      expect(await tree(join(dir, "servers"))).toEqual(["a.py"]);
      expect((await readdir(dir)).sort()).toEqual(["servers"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("skills sdk (CLI)", () => {
  let out: string;

  beforeAll(async () => {
    out = await tempDir("sdk-cli");
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("prints the file count and where the tree went", async () => {
    const result = await cli(["sdk", "--lang", "python", "--out", out, "--servers", "memory"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wrote \d+ files \(Python\) for \d+ tools of 1 server to /);
    expect(result.stdout).toContain("servers/memory");
    expect(result.stdout).toContain("from servers.memory import <tool_name>");
  }, 60_000);

  it("prints the result object with --json", async () => {
    const result = await cli(["sdk", "--lang", "ts", "--out", out, "--servers", "memory,everything", "--json"]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ ok: true, lang: "ts", dir: join(out, "servers"), replaced: true });
    expect(parsed.servers.map((server: { server: string }) => server.server)).toEqual(["everything", "memory"]);
  }, 60_000);

  it("exits 2 with a hint on a bad --lang, and lists its options in --help (built binary)", async () => {
    const bad = await cli(["sdk", "--lang", "rust", "--out", out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('USAGE  --lang must be ts, python or both, not "rust"');
    expect(bad.stderr).toContain("hint: skills sdk --lang both");
    // cac prints help with console.log, so ask the binary.
    const help = await exec(process.execPath, [join(REPO, "bin", "skills.js"), "sdk", "--help"], { cwd: REPO });
    for (const option of [
      "--lang <lang>",
      "--out <dir>",
      "--servers <names>",
      "--config <file>",
      "--refresh",
      "--check",
      "--json",
    ]) {
      expect(help.stdout).toContain(option);
    }
  });

  it("exits 2 when --config points nowhere", async () => {
    const result = await cli(["sdk", "--config", join(out, "missing.json"), "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("MCP_CONFIG_NOT_FOUND");
  });

  it("the built binary writes a tree that compiles in both languages (npx skills sdk --lang both --out DIR)", async () => {
    const dir = await tempDir("sdk-bin");
    try {
      const { stdout } = await exec(
        process.execPath,
        [join(REPO, "bin", "skills.js"), "sdk", "--lang", "both", "--out", dir],
        {
          cwd: REPO,
          env: { ...process.env, NO_COLOR: "1" },
        },
      );
      expect(stdout).toMatch(/wrote \d+ files \(TypeScript and Python\) for \d+ tools of 3 servers/);
      expect(await compileTs(dir)).toBe("");
      expect(await compilePython(dir)).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
