/** `skills doctor`: the isolation report on this machine, interpreters, and starting every configured server. */
import { realpathSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runDoctor } from "../../src/commands/doctor.js";
import { npmServer } from "../helpers/testServers.js";

const repo = resolve(import.meta.dirname, "../..");

describe("doctor", () => {
  test("reports bwrap isolation, both interpreters, and no problems", async () => {
    const result = await runDoctor({ cwd: repo });
    expect(result.isolation.isolation).toBe("bwrap");
    expect(result.isolation.bwrap?.version).toMatch(/^\d+\.\d+/);
    expect(result.interpreters.map((check) => [check.name, check.ok])).toEqual([
      ["node", true],
      ["python", true],
    ]);
    expect(result.interpreters[1]?.version).toMatch(/^3\.\d+\.\d+$/);
    expect(result.servers).toBeUndefined();
    // every path a run binds, reachable by the run's uid, and a real run per language
    expect(result.binds.length).toBeGreaterThan(3);
    expect(result.binds.filter((bind) => !bind.ok)).toEqual([]);
    expect(result.binds.some((bind) => bind.path.startsWith(repo))).toBe(false);
    expect(result.trial.map((run) => [run.language, run.ok])).toEqual([
      ["python", true],
      ["typescript", true],
    ]);
    // the CLI's code cache folder, private to this user (test/integration/codeCacheFolder.test.ts: the others)
    expect(result.codeCache).toEqual({
      state: "usable",
      path: realpathSync(join(tmpdir(), `skills-code-cache-${process.getuid?.() ?? 0}`)),
    });
    expect(result.ok).toBe(true);
  });

  test.runIf(process.getuid?.() === 0)("an interpreter under a private folder is a problem naming the folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "skills-doctor-private-"));
    try {
      // an interpreter installed in a 0700 home (like pyenv in /root): a run binds its prefix, which the run's uid
      // cannot reach
      const python = join(dir, "home", "py", "bin", "python3");
      await mkdir(join(dir, "home", "py", "bin"), { recursive: true });
      await writeFile(python, '#!/bin/sh\nexec /usr/bin/python3 "$@"\n', { mode: 0o755 });
      await chmod(join(dir, "home"), 0o700);
      await chmod(dir, 0o755);
      await writeFile(join(dir, "skills.config.json"), JSON.stringify({ python }));
      const result = await runDoctor({ cwd: dir });
      expect(result.ok).toBe(false);
      expect(result.binds.find((bind) => bind.path === join(dir, "home", "py"))).toEqual({
        path: join(dir, "home", "py"),
        ok: false,
        problem: `${join(dir, "home")} cannot be passed through by the run's uid (mode 0700)`,
      });
      expect(result.problems.join("\n")).toContain(`a run binds ${join(dir, "home", "py")}, but`);
      expect(result.trial.find((run) => run.language === "python")?.ok).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("--servers starts every server of .mcp.json and counts its tools", async () => {
    const result = await runDoctor({ cwd: repo, servers: true });
    const byName = Object.fromEntries((result.servers ?? []).map((server) => [server.name, server]));
    expect(Object.keys(byName).sort()).toEqual(["everything", "filesystem", "memory"]);
    expect(byName.filesystem).toMatchObject({ ok: true, version: "0.2.0" });
    expect(byName.filesystem?.tools).toBeGreaterThan(10);
    expect(byName.memory?.ok).toBe(true);
    expect(byName.everything?.ok).toBe(true);
    expect(result.ok).toBe(true);
  });

  test("a server that cannot start is a problem, and the others are still checked", async () => {
    const dir = await mkdtemp(join(tmpdir(), "skills-doctor-"));
    await chmod(dir, 0o755);
    try {
      await writeFile(
        join(dir, ".mcp.json"),
        JSON.stringify({
          mcpServers: {
            broken: { command: join(dir, "no-such-server") },
            memory: {
              command: npmServer("memory"),
              env: { MEMORY_FILE_PATH: join(dir, "m.jsonl") },
            },
          },
        }),
      );
      const result = await runDoctor({ cwd: dir, servers: true, serverTimeoutMs: 10_000 });
      expect(result.ok).toBe(false);
      expect(result.servers?.find((server) => server.name === "broken")?.ok).toBe(false);
      expect(result.servers?.find((server) => server.name === "memory")?.ok).toBe(true);
      expect(result.problems.join("\n")).toMatch(/server broken/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a missing python interpreter is reported with a hint", async () => {
    const dir = await mkdtemp(join(tmpdir(), "skills-doctor-py-"));
    try {
      await writeFile(join(dir, "skills.config.json"), JSON.stringify({ python: "/nonexistent/python3" }));
      const result = await runDoctor({ cwd: dir });
      expect(result.ok).toBe(false);
      const python = result.interpreters.find((check) => check.name === "python");
      expect(python?.ok).toBe(false);
      expect(python?.error).toContain("skills.config.json");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
