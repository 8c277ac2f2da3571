/**
 * The build ships the Python worker's bytecode (dist/runtime-bytecode/<hash of the sources>/, checked-hash .pyc
 * files): the first run on a machine copies it into the runtime it binds instead of running compileall. Checked
 * here through the built module in a fresh temp folder: the staged copy carries the build's files, and they are
 * exactly what Python makes of the staged sources (so Python uses them).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmod, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { REPO } from "../helpers/cli.js";

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

it("a fresh runtime copy carries the build's bytecode, valid for its sources", async () => {
  const temp = await mkdtemp(join(tmpdir(), "skills-fresh-tmp-"));
  temps.push(temp);
  // the runs' own uids pass through the temp folder (else the runtime copy goes to /tmp)
  await chmod(temp, 0o711);
  const script = `import(${JSON.stringify(join(REPO, "dist/sandbox/runtimeFiles.js"))}).then((m) => console.log(m.stagedRuntime()))`;
  const staged = spawnSync(process.execPath, ["-e", script], {
    env: { ...process.env, TMPDIR: temp },
    encoding: "utf8",
  });
  expect(staged.status, staged.stderr).toBe(0);
  const dir = staged.stdout.trim();
  expect(dir.startsWith(temp)).toBe(true);
  const cache = join(dir, "python", "__pycache__");
  const files = (await readdir(cache)).sort();
  expect(files).toEqual(["_runtime.cpython-311.pyc", "_worker.cpython-311.pyc"]);
  // What Python compiles from the staged sources, checked-hash, named as the sandbox sees them.
  const again = await mkdtemp(join(tmpdir(), "skills-pyc-"));
  temps.push(again);
  for (const name of ["_runtime", "_worker"]) {
    execFileSync("/usr/bin/python3", [
      "-I",
      "-c",
      "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], dfile=sys.argv[3], invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)",
      join(dir, "python", `${name}.py`),
      join(again, `${name}.pyc`),
      `/runtime/python/${name}.py`,
    ]);
    const shipped = await readFile(join(cache, `${name}.cpython-311.pyc`));
    // flags 3: hash-based, checked against the source
    expect(shipped.readUInt32LE(4)).toBe(3);
    expect(shipped.equals(await readFile(join(again, `${name}.pyc`)))).toBe(true);
  }
});
