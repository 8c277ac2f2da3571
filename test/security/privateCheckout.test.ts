/**
 * A checkout under a private folder (root's 0700 /root, a 0700 or 0750 home) works: the run's own uid cannot pass
 * through the checkout's parents, so nothing a run binds may come from there. A fresh copy of the package (bin,
 * dist, runtime, skills, .mcp.json: hard-linked from this one for root, copied for a normal user; node_modules
 * hard-linked) is made under a 0700 folder, and the real CLI runs a Python skill, a TypeScript skill (both with real MCP servers) and an exec there: as root, and as the normal
 * user cloudsdk (uid 1000) with the checkout in a 0700 home-like folder it owns. `skills doctor` checks exactly the
 * paths a run binds, and says so.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { REPO } from "../helpers/cli.js";
import { copyPackage, linkModules } from "../helpers/packageCopy.js";
import { diskTmpdir } from "../helpers/tmp.js";

const NORMAL_USER = 1000;
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the package in `<private 0700 folder>/fresh`, owned by `uid`. */
function privateCheckout(uid: number, mode: number): string {
  // on the disk: root's copy and node_modules are hard links to this repository's files
  const parent = mkdtempSync(join(diskTmpdir(), "skills-private-"));
  temps.push(parent);
  const checkout = join(parent, "home", "fresh");
  mkdirSync(checkout, { recursive: true });
  // a normal user's checkout is that user's (chowned below): copied; root's is root's like the repository: linked
  copyPackage(checkout, { modules: false, link: uid === 0 });
  if (uid !== 0) spawnSync("chown", ["-R", `${uid}:${uid}`, parent]);
  // after the chown: the links share their files with this repository's node_modules, which stays root's
  linkModules(checkout);
  chownSync(join(parent, "home"), uid, uid);
  chmodSync(join(parent, "home"), mode);
  chmodSync(parent, 0o700);
  if (uid !== 0) chownSync(parent, uid, uid);
  return checkout;
}

function skills(checkout: string, uid: number, args: string[]) {
  const env: NodeJS.ProcessEnv = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    HOME: join(checkout, ".."),
  };
  const out = spawnSync(process.execPath, [join(checkout, "bin", "skills.js"), ...args], {
    cwd: checkout,
    env,
    encoding: "utf8",
    timeout: 120_000,
    ...(uid !== 0 ? { uid, gid: uid } : {}),
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const asRoot = process.getuid?.() === 0;

describe.each([
  ["root, under a 0700 folder", 0, 0o700],
  ["root, under a 0750 folder", 0, 0o750],
  ["the normal user cloudsdk, in a 0700 home it owns", NORMAL_USER, 0o700],
] as const)("a private checkout: %s", (_name, uid, mode) => {
  test.runIf(asRoot)("doctor checks the paths a run binds; Python and TS skills and exec run sandboxed", () => {
    const checkout = privateCheckout(uid, mode);

    const doctor = skills(checkout, uid, ["doctor", "--json"]);
    expect(doctor.stderr).toBe("");
    const report = JSON.parse(doctor.stdout) as {
      ok: boolean;
      isolation: { isolation: string };
      binds: { path: string; ok: boolean }[];
      trial: { language: string; ok: boolean }[];
    };
    expect(report.isolation.isolation).toBe("bwrap");
    expect(report.ok).toBe(true);
    expect(report.binds.every((bind) => bind.ok)).toBe(true);
    expect(report.binds.map((bind) => bind.path)).toEqual(expect.arrayContaining(["/usr"]));
    // nothing a run binds comes from the checkout
    expect(report.binds.filter((bind) => bind.path.startsWith(checkout))).toEqual([]);
    expect(report.trial.map((trial) => [trial.language, trial.ok])).toEqual([
      ["python", true],
      ["typescript", true],
    ]);

    const python = skills(checkout, uid, ["run", "summarize-directory", "--input", '{"path": "skills/find-todos"}', "--json"]);
    expect(python.stderr).toBe("");
    expect(JSON.parse(python.stdout)).toMatchObject({ run: { ok: true, isolation: "bwrap" } });
    expect(JSON.parse(python.stdout).run.result.files).toBeGreaterThan(3);

    const typescript = skills(checkout, uid, [
      "run",
      "find-todos",
      "--input",
      '{"path": "skills/find-todos/tests/fixture"}',
      "--json",
    ]);
    expect(typescript.stderr).toBe("");
    expect(JSON.parse(typescript.stdout)).toMatchObject({ run: { ok: true, isolation: "bwrap" } });
    expect(JSON.parse(typescript.stdout).run.result.total).toBeGreaterThan(0);

    for (const [lang, code] of [
      ["python", "import os\nresult = [os.getuid(), sorted(os.listdir('/runtime'))]"],
      ["ts", "import { readdirSync } from 'node:fs';\nexport const result = [process.getuid(), readdirSync('/runtime').sort()];"],
    ]) {
      const exec = skills(checkout, uid, ["exec", "--lang", lang!, "--code", code!, "--json"]);
      expect(exec.stderr).toBe("");
      expect(JSON.parse(exec.stdout)).toMatchObject({ run: { ok: true, isolation: "bwrap", result: [65534, ["node", "python"]] } });
    }
  }, 240_000);
});

describe("a root host with a private TMPDIR", () => {
  test.runIf(asRoot)("stages its runs under /tmp instead (the runs' uids must pass through it)", () => {
    const tmp = mkdtempSync(join(tmpdir(), "skills-private-tmp-"));
    temps.push(tmp);
    chmodSync(tmp, 0o700);
    const out = spawnSync(
      process.execPath,
      [join(REPO, "bin", "skills.js"), "exec", "--lang", "python", "--code", "result = 42", "--json"],
      { cwd: tmp, env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1" }, encoding: "utf8", timeout: 60_000 },
    );
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toMatchObject({ run: { ok: true, isolation: "bwrap", result: 42 } });
    // Only the CLI's code cache stays (src/cli/program.ts), private to root; no run folder.
    expect(readdirSync(tmp)).toEqual(["skills-code-cache-0"]);
    expect(statSync(join(tmp, "skills-code-cache-0")).mode & 0o777).toBe(0o700);
  }, 60_000);
});
