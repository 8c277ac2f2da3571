import { describe, expect, test } from "vitest";
import { type CommandSpec, boundPaths, buildCommand } from "../../../src/sandbox/command.js";
import { resolveLimits, rlimitProfile } from "../../../src/sandbox/limits.js";

const spec = (over: Partial<CommandSpec>): CommandSpec => ({
  language: "python",
  isolation: "bwrap",
  profile: rlimitProfile(resolveLimits({ cpuMs: 2500, memoryMb: 128 })),
  python: "/usr/bin/python3",
  node: "/usr/bin/node",
  uid: 200_123,
  setpriv: "/usr/bin/setpriv",
  prlimit: "/usr/bin/prlimit",
  bwrap: "/usr/bin/bwrap",
  disableUserns: true,
  host: { workspace: "/tmp/w", skill: "/tmp/s", sdk: "/tmp/sdk", runtime: "/tmp/rt" },
  ...over,
});

describe("buildCommand", () => {
  test("bwrap + python: spawn drops root itself, no prlimit/setpriv exec, every namespace unshared", () => {
    const command = buildCommand(spec({}));
    expect(command.file).toBe("/usr/bin/bwrap");
    expect(command).toMatchObject({ uid: 200_123, gid: 200_123 });
    const args = command.args.join(" ");
    for (const flag of [
      "--unshare-all",
      "--die-with-parent",
      "--new-session",
      "--clearenv",
      "--cap-drop ALL",
      "--uid 65534",
      "--unshare-user --disable-userns",
    ]) {
      expect(args).toContain(flag);
    }
    expect(args).toContain("--ro-bind /tmp/s /skill");
    expect(args).toContain("--ro-bind /tmp/sdk /sdk");
    expect(args).toContain("--ro-bind /tmp/rt /runtime");
    expect(boundPaths(command)).toEqual(expect.arrayContaining(["/usr", "/tmp/rt", "/tmp/sdk", "/tmp/s"]));
    expect(args).toMatch(/--size 134217728 --perms 0700 --tmpfs \/workspace/);
    expect(args).toMatch(/--size 134217728 --perms 1777 --tmpfs \/tmp/);
    expect(args).toContain("--setenv SKILLS_BRIDGE_FD 3");
    expect(args).not.toContain("/tmp/w");
    expect(command.args.slice(-4)).toEqual(["/usr/bin/python3", "-S", "-I", "/runtime/python/worker.py"]);
    expect(command.paths).toMatchObject({ workspace: "/workspace", skill: "/skill", sdk: "/sdk", runtime: "/runtime" });
  });

  test("bwrap + node: prlimit sets the rlimits (SIGXCPU at the budget, SIGKILL a second later), heap flag", () => {
    const command = buildCommand(spec({ language: "node" }));
    expect(command.file).toBe("/usr/bin/prlimit");
    expect(command.args.slice(0, 7)).toEqual([
      "--cpu=3:4",
      `--fsize=${64 * 1024 * 1024}`,
      "--nofile=256",
      "--core=0",
      "--nproc=64",
      "--",
      "/usr/bin/bwrap",
    ]);
    expect(command.args).toContain("--max-old-space-size=128");
    expect(command.args.at(-1)).toBe("/runtime/node/worker.mjs");
  });

  test("process isolation: setpriv with pdeathsig, host paths, no bwrap", () => {
    const command = buildCommand(spec({ isolation: "process" }));
    expect(command.file).toBe("/usr/bin/setpriv");
    expect(command.args.slice(0, 5)).toEqual([
      "--reuid=200123",
      "--regid=200123",
      "--clear-groups",
      "--pdeathsig=SIGKILL",
      "--",
    ]);
    expect(command.uid).toBeUndefined();
    expect(command.args).not.toContain("/usr/bin/bwrap");
    expect(command.paths).toMatchObject({ workspace: "/tmp/w", skill: "/tmp/s", sdk: "/tmp/sdk", runtime: "/tmp/rt" });
    expect(command.args).toContain("/tmp/rt/python/worker.py");
    expect(command.cwd).toBe("/tmp/w");
    expect(command.env).toEqual({
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOME: "/tmp/w",
      LANG: "C.UTF-8",
      TMPDIR: "/tmp",
      SKILLS_BRIDGE_FD: "3",
    });
  });

  test("a bwrap without --disable-userns: the flags are left out", () => {
    const args = buildCommand(spec({ disableUserns: false })).args;
    expect(args).not.toContain("--disable-userns");
  });

  test("not root: no uid change and no RLIMIT_NPROC (it would count the user's other processes)", () => {
    const command = buildCommand(spec({ language: "node", uid: null }));
    expect(command.uid).toBeUndefined();
    expect(command.args.join(" ")).not.toContain("--nproc");
    expect(command.args.join(" ")).not.toContain("setpriv");
  });
});
