/**
 * `skills test` end to end with real parts: a temp project with two skills (Python and TypeScript), real MCP servers
 * (server-filesystem, server-everything) started through a wrapper that leaves a marker file when a server starts,
 * the real sandbox. Record -> replay green with no server started -> a changed skill fails the right case.
 */
import { existsSync } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTests } from "../../src/commands/test.js";
import { parseCassette } from "../../src/core/testing/parseCassette.js";
import type { TestResult } from "../../src/core/testing/results.js";
import { WORKSPACE_TOKEN } from "../../src/core/testing/workspacePaths.js";
import { npmServer } from "../helpers/testServers.js";

const SECRET = "canary-Zq8v4Lw2Rk9x";

let project: string;
let marker: string;

const LIST_FILES_PY = `"""List the .txt files of a folder and count their characters."""
from servers.filesystem import list_directory, read_text_file


def text_of(value):
    return value["content"] if isinstance(value, dict) else str(value)


def run(input):
    if input["path"] == "hang":
        import time
        while True:
            time.sleep(1)
    listing = text_of(list_directory(path=input["path"]))
    names = sorted(line[len("[FILE] "):] for line in listing.splitlines() if line.startswith("[FILE] ") and line.endswith(".txt"))
    files = []
    for name in names:
        body = text_of(read_text_file(path=input["path"] + "/" + name))
        files.append({"name": name, "chars": len(body)})
    return {"count": len(files), "files": files}
`;

const LIST_FILES_MANIFEST = `name: list-files
version: 1.0.0
language: python
entry: main.py
description: Lists text files with their sizes.
input:
  type: object
  properties: { path: { type: string, minLength: 1 } }
  required: [path]
  additionalProperties: false
tools:
  filesystem/list_directory: ">=0.1.0"
  filesystem/read_text_file: ">=0.1.0"
limits: { timeout_ms: 20000 }
`;

const ENV_PEEK_TS = `import { getEnv } from "servers/everything";

export async function run(input: { name: string }) {
  const value = await getEnv({});
  const text = Array.isArray(value) ? value.map((item: { text?: string }) => item.text ?? "").join("") : JSON.stringify(value);
  const env = JSON.parse(text) as Record<string, string>;
  return { has: input.name in env, length: (env[input.name] ?? "").length };
}
`;

const ENV_PEEK_MANIFEST = `name: env-peek
version: 1.0.0
language: typescript
entry: main.ts
description: Says whether the everything server sees an env variable.
input: { type: object, properties: { name: { type: string } }, required: [name] }
tools:
  everything/get-env: ">=0.1.0"
limits: { timeout_ms: 20000 }
`;

function skillMd(name: string): string {
  return `---\nname: ${name}\ndescription: Test fixture skill ${name} for skills test.\n---\n\nUsed by the skills test integration tests.\n`;
}

async function writeSkill(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

function caseOf(result: TestResult, skill: string, name: string) {
  const found = result.skills.find((s) => s.name === skill)?.cases.find((c) => c.name === name);
  if (!found)
    throw new Error(
      `no case ${skill}/${name} in ${JSON.stringify(result.skills.map((s) => s.cases.map((c) => c.name)))}`,
    );
  return found;
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-test-rr-"));
  // The sandbox runs programs as an unprivileged uid, which must be able to reach the skill folder.
  await chmod(project, 0o755);
  marker = join(project, "servers-started.log");
  // Every server start appends a line to the marker file, then execs the real server.
  const wrapper = join(project, "start-server.sh");
  await writeFile(wrapper, `#!/bin/sh\necho "$1" >> "${marker}"\nshift\nexec "$@"\n`);
  await chmod(wrapper, 0o755);
  await writeFile(
    join(project, ".mcp.json"),
    JSON.stringify({
      mcpServers: {
        filesystem: { command: wrapper, args: ["mcp-server-filesystem", npmServer("filesystem"), project] },
        everything: {
          command: wrapper,
          args: ["mcp-server-everything", npmServer("everything"), "stdio"],
          env: { SKILLS_TEST_SECRET: SECRET },
        },
      },
    }),
  );
  await writeFile(join(project, "package.json"), "{}\n");
  await mkdir(join(project, "data"));
  await writeFile(join(project, "data/a.txt"), "alpha\n");
  await writeFile(join(project, "data/b.txt"), "bravo, write to jane.doe@example.com\n");
  await writeFile(join(project, "data/c.md"), "not listed\n");
  await writeSkill(join(project, "skills/list-files"), {
    "SKILL.md": skillMd("list-files"),
    "manifest.yaml": LIST_FILES_MANIFEST,
    "main.py": LIST_FILES_PY,
    "tests/basic.yaml":
      "name: basic\ninput: { path: data }\nexpect:\n  subset: { count: 2, files: [{ name: a.txt, chars: 6 }, { name: b.txt }] }\n  maxToolCalls: 3\n",
    "tests/failures.yaml": [
      "cases:",
      "  - name: missing-folder",
      "    input: { path: data/nope }",
      "    expect: { error: { code: PROGRAM_ERROR, message: /ENOENT|no such file/i } }",
      "  - name: bad-input",
      "    input: { path: '' }",
      "    expect: { error: { code: INPUT_INVALID } }",
      "",
    ].join("\n"),
  });
  await writeSkill(join(project, "skills/env-peek"), {
    "SKILL.md": skillMd("env-peek"),
    "manifest.yaml": ENV_PEEK_MANIFEST,
    "main.ts": ENV_PEEK_TS,
    "tests/secret.yaml": "name: secret\ninput: { name: SKILLS_TEST_SECRET }\nexpect: { subset: { has: true } }\n",
  });
}, 60_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("skills test: record, then replay", () => {
  let recorded: TestResult;

  beforeAll(async () => {
    recorded = await runTests({ cwd: project, paths: ["skills"], record: true });
  }, 120_000);

  it("--record runs against the live servers and writes a cassette per case that calls tools", async () => {
    expect(recorded.summary).toMatchObject({ total: 4, passed: 4, failed: 0 });
    expect(existsSync(marker)).toBe(true);
    expect((await readdir(join(project, "skills/list-files/cassettes"))).sort()).toEqual([
      "basic.json",
      "missing-folder.json",
    ]);
    const basic = parseCassette(
      await readFile(join(project, "skills/list-files/cassettes/basic.json"), "utf8"),
      "basic.json",
    );
    if (!basic.ok) throw new Error(JSON.stringify(basic.errors));
    expect(basic.warnings).toEqual([]);
    const cassette = basic.value;
    expect(cassette).toMatchObject({ version: 1, skill: "list-files", case: "basic" });
    expect(cassette.servers.filesystem?.name).toBe("secure-filesystem-server");
    expect(cassette.tools.map((t) => t.name).sort()).toEqual(["list_directory", "read_text_file"]);
    expect(cassette.calls.map((c) => `${c.tool} ${JSON.stringify(c.arguments)}`)).toEqual([
      'list_directory {"path":"data"}',
      'read_text_file {"path":"data/a.txt"}',
      'read_text_file {"path":"data/b.txt"}',
    ]);
    expect(caseOf(recorded, "list-files", "basic").recorded).toBe(true);
    // Input the manifest refuses never runs, so it needs no cassette.
    expect(caseOf(recorded, "list-files", "bad-input").recorded).toBeUndefined();
  });

  it("flags personal-looking values in the cassette and warns about them", async () => {
    const cassette = JSON.parse(await readFile(join(project, "skills/list-files/cassettes/basic.json"), "utf8"));
    expect(cassette.pii).toEqual([
      { pointer: "/calls/2/result/content/0/text", type: "email" },
      { pointer: "/calls/2/result/structuredContent/content", type: "email" },
    ]);
    expect(JSON.stringify(cassette.pii)).not.toContain("jane.doe");
    const warnings = caseOf(recorded, "list-files", "basic").warnings;
    expect(warnings.map((w) => [w.code, w.message])).toContainEqual([
      "CASSETTE_PII",
      "looks like personal data (email) at /calls/2/result/content/0/text",
    ]);
    // the cassette holds real values: only its owner may read it, and the warning says so
    expect((await stat(join(project, "skills/list-files/cassettes/basic.json"))).mode & 0o777).toBe(0o600);
    expect(warnings.find((w) => w.code === "CASSETTE_PII")?.hint).toContain("written at mode 0600");
  });

  it("never writes a secret from the server config's env, even when a tool returns it", async () => {
    const text = await readFile(join(project, "skills/env-peek/cassettes/secret.json"), "utf8");
    expect(text).not.toContain(SECRET);
    expect(text).toContain("[REDACTED:config]");
    const cassette = JSON.parse(text);
    expect(cassette.redactions.length).toBeGreaterThan(0);
  });

  it("replays green offline: no server starts and no .mcp.json is needed", async () => {
    await rm(marker, { force: true });
    await rename(join(project, ".mcp.json"), join(project, "mcp.json.away"));
    try {
      const replayed = await runTests({ cwd: project, paths: ["skills/list-files"] });
      expect(replayed.summary).toMatchObject({ total: 3, passed: 3, failed: 0 });
      expect(replayed.skills[0]?.cases.every((c) => c.mode === "replay")).toBe(true);
      expect(existsSync(marker)).toBe(false);
    } finally {
      await rename(join(project, "mcp.json.away"), join(project, ".mcp.json"));
    }
  }, 60_000);

  it("stores the project's path as the workspace token and replays it in another checkout", async () => {
    const text = await readFile(join(project, "skills/list-files/cassettes/missing-folder.json"), "utf8");
    expect(text).not.toContain(project);
    expect(text).toContain(`${WORKSPACE_TOKEN}/data/nope`);
    const other = await mkdtemp(join(tmpdir(), "skills-test-checkout-"));
    try {
      await chmod(other, 0o755);
      await writeFile(join(other, "package.json"), "{}\n");
      await cp(join(project, "skills/list-files"), join(other, "skills/list-files"), { recursive: true });
      const replayed = await runTests({ cwd: other, paths: ["skills/list-files"], filter: "missing-folder" });
      const missing = caseOf(replayed, "list-files", "missing-folder");
      expect(missing.status).toBe("passed");
      // The recorded error now names this checkout's folder, as the live server would here.
      expect(missing.run?.error?.message).toContain(`${other}/data/nope`);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 60_000);

  it("a case whose recording held a secret replays green from the redacted cassette", async () => {
    const replayed = await runTests({ cwd: project, paths: ["skills/env-peek"] });
    expect(caseOf(replayed, "env-peek", "secret").status).toBe("passed");
    expect(existsSync(marker)).toBe(false);
  }, 60_000);

  it("a changed skill fails the right case with a readable diff of the calls", async () => {
    const main = join(project, "skills/list-files/main.py");
    const original = await readFile(main, "utf8");
    await writeFile(
      main,
      original.replace(
        'read_text_file(path=input["path"] + "/" + name)',
        'read_text_file(path="./" + input["path"] + "/" + name)',
      ),
    );
    try {
      const replayed = await runTests({ cwd: project, paths: ["skills/list-files"] });
      const basic = caseOf(replayed, "list-files", "basic");
      expect(basic.status).toBe("failed");
      expect(basic.failures[0]?.kind).toBe("replay");
      expect(basic.failures[0]?.message).toContain(
        "call #2 to filesystem/read_text_file: arguments differ from the recording",
      );
      expect(basic.failures[0]?.diff).toContain('-     "path": "data/a.txt"');
      expect(basic.failures[0]?.diff).toContain('+     "path": "./data/a.txt"');
      expect(caseOf(replayed, "list-files", "missing-folder").status).toBe("passed");
      expect(replayed.summary).toMatchObject({ passed: 2, failed: 1, errors: 0 });
    } finally {
      await writeFile(main, original);
    }
  }, 60_000);

  it("a skill that calls less than recorded fails with the unused calls, unless allowUnused", async () => {
    const main = join(project, "skills/list-files/main.py");
    const original = await readFile(main, "utf8");
    await writeFile(main, original.replace("for name in names:", "for name in names[:1]:"));
    const testFile = join(project, "skills/list-files/tests/basic.yaml");
    const tests = await readFile(testFile, "utf8");
    try {
      const strict = await runTests({ cwd: project, paths: ["skills/list-files"], filter: "basic" });
      const basic = caseOf(strict, "list-files", "basic");
      expect(basic.failures.map((f) => f.kind)).toEqual(["subset", "unused"]);
      expect(basic.failures[1]?.diff).toContain('#3 filesystem/read_text_file { "path": "data/b.txt" }');
      await writeFile(
        testFile,
        tests.replace(
          "subset: { count: 2, files: [{ name: a.txt, chars: 6 }, { name: b.txt }] }",
          "subset: { count: 1 }",
        ) + "allowUnused: true\n",
      );
      const lenient = await runTests({ cwd: project, paths: ["skills/list-files"], filter: "basic" });
      expect(caseOf(lenient, "list-files", "basic").status).toBe("passed");
    } finally {
      await writeFile(main, original);
      await writeFile(testFile, tests);
    }
  }, 60_000);

  it("--record: a cassette that cannot be written fails only its case", async () => {
    const dir = join(project, "skills/env-peek");
    await rm(join(dir, "cassettes"), { recursive: true });
    await writeFile(join(dir, "cassettes"), "not a folder\n");
    try {
      const result = await runTests({ cwd: project, paths: ["skills"], record: true });
      const secret = caseOf(result, "env-peek", "secret");
      expect(secret.status).toBe("error");
      expect(secret.problems[0]?.message).toMatch(/cannot write the cassette/);
      expect(caseOf(result, "list-files", "basic").status).toBe("passed");
    } finally {
      await rm(join(dir, "cassettes"));
      await runTests({ cwd: project, paths: ["skills/env-peek"], record: true });
    }
  }, 60_000);

  it("--live runs against the servers without reading cassettes", async () => {
    await rm(marker, { force: true });
    const live = await runTests({ cwd: project, paths: ["skills/list-files"], live: true });
    expect(live.summary).toMatchObject({ total: 3, passed: 3 });
    expect(live.skills[0]?.cases.every((c) => c.mode === "live")).toBe(true);
    expect(existsSync(marker)).toBe(true);
  }, 60_000);
});

describe("skills test: bad input fails its own case and nothing else", () => {
  let result: TestResult;
  const skill = () => join(project, "skills/list-files");

  beforeAll(async () => {
    // Needs the cassettes recorded above (vitest runs the describe blocks of a file in order).
    const dir = skill();
    const basic = await readFile(join(dir, "cassettes/basic.json"), "utf8");
    const drifted = JSON.parse(basic);
    drifted.tools[0].inputSchema.properties.extra = { type: "string" };
    drifted.recordedAt = "2000-01-01T00:00:00.000Z";
    await writeFile(join(dir, "cassettes/drifted.json"), JSON.stringify(drifted, null, 2));
    await writeFile(join(dir, "cassettes/corrupt.json"), basic.replace('"calls": [', '"calls": [,'));
    await writeSkill(dir, {
      "tests/zz-bad-yaml.yaml": "name: bad-yaml\ninput:\n\tpath: data\n",
      "tests/zz-unknown-matcher.yaml":
        "name: unknown-matcher\ninput: { path: data }\nexpect:\n  subset: { count: 2 }\n  contains: 2\n",
      "tests/zz-missing-cassette.yaml": "name: no-cassette\ninput: { path: data }\ncassette: nowhere.json\n",
      "tests/zz-corrupt-cassette.yaml": "name: corrupt\ninput: { path: data }\ncassette: corrupt.json\n",
      "tests/zz-drift.yaml":
        "name: drift\ninput: { path: data }\ncassette: drifted.json\nexpect: { subset: { count: 2 } }\n",
      "tests/zz-hang.yaml": "name: hang\ninput: { path: hang }\ntimeout_ms: 1500\n",
      "tests/zz-dup.yaml": "name: basic\ninput: { path: data }\n",
      "tests/zz-huge.yaml": `name: huge\ninput: { path: data }\n# ${"x".repeat(1024 * 1024)}\n`,
    });
    await cp(join(dir, "cassettes/basic.json"), join(dir, "cassettes/hang.json"));
    await cp(join(dir, "cassettes/basic.json"), join(dir, "cassettes/orphan.json"));
    const stale = JSON.parse(basic);
    stale.tools = stale.tools.filter((t: { name: string }) => t.name !== "read_text_file");
    await writeFile(join(dir, "cassettes/stale.json"), JSON.stringify(stale, null, 2));
    await writeSkill(dir, { "tests/zz-stale.yaml": "name: stale\ninput: { path: data }\ncassette: stale.json\n" });
    await mkdir(join(dir, "tests/zz-folder.yaml"));
    await mkdir(join(dir, "cassettes/folder.json"), { recursive: true });
    await writeSkill(dir, {
      "tests/zz-folder-cassette.yaml": "name: folder-cassette\ninput: { path: data }\ncassette: folder.json\n",
    });
    result = await runTests({ cwd: project, paths: ["skills/list-files"] });
  }, 120_000);

  afterAll(async () => {
    const dir = skill();
    for (const file of await readdir(join(dir, "tests"))) {
      if (file.startsWith("zz-")) await rm(join(dir, "tests", file), { recursive: true, force: true });
    }
    await rm(join(dir, "cassettes/orphan.json"), { force: true });
    await rm(join(dir, "cassettes/folder.json"), { recursive: true, force: true });
  });

  it("reports malformed YAML with its file and line", () => {
    const bad = caseOf(result, "list-files", "tests/zz-bad-yaml.yaml");
    expect(bad.status).toBe("error");
    expect(bad.problems[0]).toMatchObject({ code: "TEST_CASE_INVALID", line: 3 });
    expect(bad.problems[0]?.file).toMatch(/skills\/list-files\/tests\/zz-bad-yaml\.yaml$/);
  });

  it("refuses a test file over 1 MiB without parsing it", () => {
    const huge = caseOf(result, "list-files", "tests/zz-huge.yaml");
    expect(huge.problems[0]?.message).toMatch(/test files are limited to 1 MiB/);
  });

  it("reports a test file it cannot read", () => {
    const folder = caseOf(result, "list-files", "tests/zz-folder.yaml");
    expect(folder.status).toBe("error");
    expect(folder.problems[0]?.message).toMatch(/^cannot read: .*EISDIR/);
  });

  it("reports a cassette it cannot read", () => {
    const problem = caseOf(result, "list-files", "folder-cassette").problems[0];
    expect(problem).toMatchObject({ code: "CASSETTE_INVALID" });
    expect(problem?.message).toMatch(/^cannot read the cassette: .*EISDIR/);
  });

  it("warns about a cassette without the schema of a declared tool (and the call is refused)", () => {
    const stale = caseOf(result, "list-files", "stale");
    expect(stale.warnings.map((w) => w.code)).toContain("CASSETTE_STALE");
    expect(stale.warnings.find((w) => w.code === "CASSETTE_STALE")?.message).toMatch(
      /no schema for filesystem\/read_text_file/,
    );
    expect(stale.status).toBe("failed");
  });

  it("reports an unknown matcher at its line", () => {
    const bad = caseOf(result, "list-files", "tests/zz-unknown-matcher.yaml");
    expect(bad.problems[0]).toMatchObject({ line: 5, message: 'unknown matcher "contains" in expect' });
  });

  it("reports a missing cassette and a corrupt one with its line", () => {
    expect(caseOf(result, "list-files", "no-cassette").problems[0]).toMatchObject({ code: "CASSETTE_MISSING" });
    const corrupt = caseOf(result, "list-files", "corrupt").problems[0];
    expect(corrupt?.code).toBe("CASSETTE_INVALID");
    expect(corrupt?.line).toBeGreaterThan(10);
    expect(corrupt?.file).toMatch(/cassettes\/corrupt\.json$/);
  });

  it("reports a case name used twice in a skill, and runs the first", () => {
    const cases = result.skills[0]!.cases.filter((c) => c.name === "basic");
    expect(cases.map((c) => c.status).sort()).toEqual(["error", "passed"]);
    const dup = cases.find((c) => c.status === "error")!;
    expect(dup.problems[0]?.message).toMatch(/duplicate case name "basic" \(also in .*tests\/basic\.yaml\)/);
    expect(dup.file).toMatch(/zz-dup\.yaml$/);
  });

  it("warns about a cassette no case uses", () => {
    expect(result.skills[0]?.warnings.map((w) => [w.code, w.file.split("/").slice(-2).join("/")])).toEqual([
      ["CASSETTE_UNUSED", "cassettes/orphan.json"],
    ]);
  });

  it("warns about a cassette recorded against another schema, and passes", () => {
    const drift = caseOf(result, "list-files", "drift");
    expect(drift.status).toBe("passed");
    expect(drift.warnings.map((w) => w.code)).toContain("FINGERPRINT_MISMATCH");
  });

  it("a hanging program is stopped by the case's timeout and fails only its case", () => {
    const hang = caseOf(result, "list-files", "hang");
    expect(hang.status).toBe("failed");
    expect(hang.failures[0]?.message).toMatch(/run failed: TIMEOUT/);
    expect(hang.durationMs).toBeLessThan(10_000);
  });

  it("still runs and passes the good cases", () => {
    for (const name of ["basic", "missing-folder", "bad-input"])
      expect(caseOf(result, "list-files", name).status).toBe("passed");
    expect(result.summary.errors).toBe(8);
  });

  it("--strict fails the drifted case", async () => {
    const strict = await runTests({ cwd: project, paths: ["skills/list-files"], filter: "drift", strict: true });
    const drift = caseOf(strict, "list-files", "drift");
    expect(drift.status).toBe("failed");
    expect(drift.failures.map((f) => f.kind)).toContain("fingerprint");
  }, 60_000);
});

describe("skills test: usage errors", () => {
  it("takes a skill by name, as skills run does, and suggests the closest name", async () => {
    const byName = await runTests({ cwd: project, paths: ["list-files"], filter: "bad-input" });
    expect(byName.skills.map((skill) => skill.name)).toEqual(["list-files"]);
    const error = await runTests({ cwd: project, paths: ["list-file"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NOT_FOUND", data: { hint: 'did you mean "list-files"?' } });
    expect((error as Error).message).toBe('no skill named "list-file" under skills');
  });

  it("no skills under the given paths", async () => {
    await mkdir(join(project, "empty"), { recursive: true });
    await expect(runTests({ cwd: project, paths: ["empty"] })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "no skills found in empty",
    });
  });

  it("a JUnit report that cannot be written", async () => {
    await expect(
      runTests({ cwd: project, paths: ["skills/list-files"], filter: "bad-input", junit: "package.json/report.xml" }),
    ).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringMatching(/cannot write the JUnit report/),
    });
  });
});

describe("skills test: skills without selected cases", () => {
  it("warns about a skill without tests, and leaves skills out that --filter does not select", async () => {
    await writeSkill(join(project, "skills/untested"), {
      "SKILL.md": skillMd("untested"),
      "manifest.yaml": "name: untested\nversion: 1.0.0\nlanguage: python\nentry: main.py\n",
      "main.py": "def run(input):\n    return 1\n",
    });
    try {
      const all = await runTests({ cwd: project, paths: ["skills/untested"] });
      expect(all.summary.total).toBe(0);
      expect(all.skills[0]?.warnings.map((w) => [w.code, w.message])).toEqual([
        ["NO_TESTS", "untested has no test cases"],
      ]);
      const filtered = await runTests({ cwd: project, paths: ["skills"], filter: "list-files/bad-input" });
      expect(filtered.skills.map((s) => s.name)).toEqual(["list-files"]);
      expect(filtered.summary).toMatchObject({ total: 1, passed: 1 });
    } finally {
      await rm(join(project, "skills/untested"), { recursive: true });
    }
  }, 60_000);
});
