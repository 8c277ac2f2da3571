/**
 * `npm run build` skips a build when dist/ is already what it would make (scripts/buildStamp.mjs): every input the
 * build reads and every file it wrote are as the last finished build left them. The decision is tested on a small
 * tree, then through the real script on a copy of this repository's build (whose stamp `npm test`'s build wrote).
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module of the build, without types
import { buildInputs, staleReason, writeStamp } from "../../scripts/buildStamp.mjs";
import { REPO } from "../helpers/cli.js";

type Inputs = { node: string; python: string; files: Record<string, string> };
const inputsOf = buildInputs as (root: string, options?: { python?: string }) => Inputs;
const reasonOf = staleReason as (dist: string, inputs: Inputs) => string | undefined;
const stamp = writeStamp as (dist: string, inputs: Inputs) => void;

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "skills-build-stamp-"));
  temps.push(dir);
  return dir;
};

/** A repository with a few inputs and a dist/ of two files, stamped as built; `python` stands for the interpreter. */
function builtTree(): { root: string; dist: string; python: string } {
  const root = temp();
  const files: Record<string, string> = {
    "src/a.ts": "export const a = 1;\n",
    "src/cli/b.ts": "export const b = 2;\n",
    "scripts/build.mjs": "// build\n",
    "schemas/x.schema.json": "{}\n",
    "runtime/python/_worker.py": "pass\n",
    "tsconfig.json": "{}\n",
    "package.json": "{}\n",
    "package-lock.json": "{}\n",
    "node_modules/.package-lock.json": '{"packages":{}}\n',
    "dist/a.js": "export const a = 1;\n",
    "dist/bundle/main.js": "// main\n",
    python: "#!python\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const python = join(root, "python");
  stamp(join(root, "dist"), inputsOf(root, { python }));
  return { root, dist: join(root, "dist"), python };
}

describe("whether dist/ is up to date", () => {
  it("is, right after the build, and stays so when a test leaves Python bytecode in runtime/", () => {
    const { root, dist, python } = builtTree();
    expect(reasonOf(dist, inputsOf(root, { python }))).toBeUndefined();
    mkdirSync(join(root, "runtime/python/__pycache__"));
    writeFileSync(join(root, "runtime/python/__pycache__/_worker.cpython-311.pyc"), "bytecode");
    expect(reasonOf(dist, inputsOf(root, { python }))).toBeUndefined();
  });

  /** Why a freshly built tree is out of date once `edit` changed it (the tree's root and dist/ given). */
  const reasonAfter = (edit: (root: string, dist: string) => void): string | undefined => {
    const { root, dist, python } = builtTree();
    edit(root, dist);
    return reasonOf(dist, inputsOf(root, { python }));
  };

  it("is not when a source, a schema, the runtime, a build script or the installed packages changed", () => {
    for (const path of [
      "src/cli/b.ts",
      "schemas/x.schema.json",
      "runtime/python/_worker.py",
      "scripts/build.mjs",
      "tsconfig.json",
      "package-lock.json",
      "node_modules/.package-lock.json",
    ]) {
      expect(reasonAfter((root) => appendFileSync(join(root, path), " "))).toBe(`${path} changed since the build`);
    }
  });

  it("is not when a source is added or removed", () => {
    expect(reasonAfter((root) => writeFileSync(join(root, "src/c.ts"), "export {};\n"))).toBe(
      "src/c.ts is new since the build",
    );
    expect(reasonAfter((root) => unlinkSync(join(root, "src/a.ts")))).toBe("src/a.ts is gone since the build");
  });

  it("is not when a file of the build was changed, added or removed", () => {
    expect(reasonAfter((_root, dist) => appendFileSync(join(dist, "bundle/main.js"), "// edited by hand\n"))).toBe(
      "dist/bundle/main.js changed since the build",
    );
    expect(reasonAfter((_root, dist) => writeFileSync(join(dist, "stray.js"), ""))).toBe(
      "dist/stray.js is new since the build",
    );
    expect(reasonAfter((_root, dist) => unlinkSync(join(dist, "a.js")))).toBe("dist/a.js is gone since the build");
  });

  it("is not with another node or another python", () => {
    const { root, dist, python } = builtTree();
    const inputs = inputsOf(root, { python });
    expect(reasonOf(dist, { ...inputs, node: "v99.0.0 x64" })).toBe(
      `node is v99.0.0 x64, dist/ was built with ${process.version} ${process.arch}`,
    );
    appendFileSync(python, "# upgraded\n");
    expect(reasonOf(dist, inputsOf(root, { python }))).toBe("/usr/bin/python3 changed since the build");
    // A machine without python: the build made no bytecode, so one that has it builds again.
    expect(reasonOf(dist, inputsOf(root, { python: join(root, "no-python") }))).toBe(
      "/usr/bin/python3 changed since the build",
    );
  });

  it("is not without a finished build: no dist/, no stamp, a damaged stamp or one of another format", () => {
    const { root, dist, python } = builtTree();
    const inputs = inputsOf(root, { python });
    expect(reasonOf(join(root, "nothing"), inputs)).toBe("no dist/");
    writeFileSync(join(dist, ".build-stamp.json"), '{"version": 1, "files"');
    expect(reasonOf(dist, inputs)).toBe("dist/.build-stamp.json is damaged");
    writeFileSync(join(dist, ".build-stamp.json"), '{"version": 2, "files": {}, "outputs": {}}');
    expect(reasonOf(dist, inputs)).toBe("dist/.build-stamp.json is from another version of the build");
    unlinkSync(join(dist, ".build-stamp.json"));
    expect(reasonOf(dist, inputs)).toBe("dist/ has no .build-stamp.json: an older build, or one that did not finish");
  });
});

describe("node scripts/build.mjs on a copy of this repository's build", () => {
  /** The build's inputs and dist/ (times kept: `cp -a`), with node_modules' lock but not the packages. */
  function copyRepo(): string {
    const root = temp();
    for (const entry of [
      "src",
      "scripts",
      "schemas",
      "runtime",
      "dist",
      "tsconfig.json",
      "package.json",
      "package-lock.json",
    ]) {
      const copied = spawnSync("cp", ["-a", join(REPO, entry), join(root, entry)], { encoding: "utf8" });
      expect(copied.stderr).toBe("");
    }
    mkdirSync(join(root, "node_modules"));
    spawnSync("cp", ["-a", join(REPO, "node_modules/.package-lock.json"), join(root, "node_modules")]);
    return root;
  }
  const build = (root: string, ...args: string[]) =>
    spawnSync(process.execPath, [join(root, "scripts/build.mjs"), ...args], { cwd: root, encoding: "utf8" });
  const root = copyRepo();

  it("--check says an unchanged tree is up to date, and the build skips it", () => {
    // (out of date here: this repository's dist/ is older than its sources; `npm test` builds first)
    const checked = build(root, "--check");
    expect([checked.stdout, checked.status]).toEqual(["build: dist/ is up to date\n", 0]);
    const skipped = build(root);
    expect([skipped.stdout, skipped.stderr, skipped.status]).toEqual([
      "build: dist/ is up to date with its sources, skipped (`node scripts/build.mjs --force` rebuilds it)\n",
      "",
      0,
    ]);
    expect(build(root, "--check").status).toBe(0);
  });

  it("--check names what changed and exits 1, building nothing", () => {
    const other = copyRepo();
    appendFileSync(join(other, "src/version.ts"), "\n");
    const checked = build(other, "--check");
    expect([checked.status, checked.stdout]).toEqual([
      1,
      "build: dist/ is out of date: src/version.ts changed since the build\n",
    ]);
    // nothing was built: the same reason again
    expect(build(other, "--check").stdout).toBe(
      "build: dist/ is out of date: src/version.ts changed since the build\n",
    );
  });

  it("refuses an unknown option, and --force with --check, with its usage (exit 2)", () => {
    const unknown = build(root, "--fast");
    expect([unknown.status, unknown.stdout, unknown.stderr]).toEqual([
      2,
      "",
      'build: unknown option "--fast"\nusage: node scripts/build.mjs [--force | --check]\n',
    ]);
    const both = build(root, "--force", "--check");
    expect([both.status, both.stderr]).toEqual([
      2,
      "build: --force and --check are one or the other\nusage: node scripts/build.mjs [--force | --check]\n",
    ]);
    // the same option twice is that option
    expect([build(root, "--check", "--check").status, build(root, "--check", "--check").stdout]).toEqual([
      0,
      "build: dist/ is up to date\n",
    ]);
    // the refused runs changed nothing
    expect(build(root, "--check").status).toBe(0);
  });
});
