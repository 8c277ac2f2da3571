// Whether dist/ is what the build would make now. The build writes dist/.build-stamp.json last, after everything
// else: a hash of every input it reads (the sources, the schemas and runtime it compiles, its own scripts, the
// installed packages it bundles or compiles a code cache of, node and python), and the size and change time of every
// file it wrote. When nothing of either changed, `npm run build` (so `npm test` and `npm run bench`) skips the ~20 s
// of a build; `--force` builds anyway, `--check` only says which. A build that did not finish leaves no stamp, so the
// next one runs in full.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Folders and files of the repository the build reads (node_modules' own lock lists the installed versions). */
export const INPUT_DIRS = ["src", "scripts", "schemas", "runtime"];
export const INPUT_FILES = ["tsconfig.json", "package.json", "package-lock.json", "node_modules/.package-lock.json"];
export const STAMP_NAME = ".build-stamp.json";
const PYTHON = "/usr/bin/python3";

const slash = (path) => path.split(sep).join("/");

/** Every file under `dir` but bytecode caches, as paths relative to `root`, sorted; links are followed (the build reads through them). */
function filesUnder(root, dir) {
  const out = [];
  const walk = (folder) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      if (error.code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      // Python's bytecode of runtime/ (a test that imports it writes some) is not something the build reads.
      if (entry.name === "__pycache__") continue;
      const path = join(folder, entry.name);
      const info = entry.isSymbolicLink() ? statSync(path, { throwIfNoEntry: false }) : entry;
      if (info?.isDirectory()) walk(path);
      else out.push(slash(relative(root, path)));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** What the build reads, each file by a hash of its bytes, and the node and python it runs with. */
export function buildInputs(root, { python = PYTHON } = {}) {
  const files = {};
  const paths = [...INPUT_DIRS.flatMap((dir) => filesUnder(root, dir)), ...INPUT_FILES];
  for (const path of paths) {
    let data;
    try {
      data = readFileSync(join(root, path));
    } catch (error) {
      if (error.code === "ENOENT") continue;
      throw error;
    }
    files[path] = createHash("sha256").update(data).digest("hex").slice(0, 32);
  }
  let pythonId = "none";
  try {
    const real = realpathSync(python);
    const info = statSync(real);
    pythonId = `${real} ${info.size} ${info.mtimeMs}`;
  } catch {
    // no python: the build compiles no bytecode
  }
  return { node: `${process.version} ${process.arch}`, python: pythonId, files };
}

/** Every file under dist/ but the stamp, with its size and change time. */
export function buildOutputs(distDir) {
  const outputs = {};
  for (const path of filesUnder(distDir, ".")) {
    if (path === STAMP_NAME) continue;
    const info = statSync(join(distDir, path));
    outputs[path] = `${info.size} ${info.mtimeMs}`;
  }
  return outputs;
}

/** Writes the stamp (through a temp file and a rename) for a build of `inputs` that just finished. */
export function writeStamp(distDir, inputs) {
  const stamp = { version: 1, ...inputs, outputs: buildOutputs(distDir) };
  const file = join(distDir, STAMP_NAME);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(stamp, null, 1)}\n`);
  renameSync(temp, file);
}

/** Why dist/ is not what a build of `inputs` makes, in a few words; undefined when it is. */
export function staleReason(distDir, inputs) {
  const file = join(distDir, STAMP_NAME);
  if (!existsSync(file)) return existsSync(distDir) ? `dist/ has no ${STAMP_NAME}: an older build, or one that did not finish` : "no dist/";
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return `dist/${STAMP_NAME} is damaged`;
  }
  if (stamp?.version !== 1 || typeof stamp.files !== "object" || typeof stamp.outputs !== "object") {
    return `dist/${STAMP_NAME} is from another version of the build`;
  }
  if (stamp.node !== inputs.node) return `node is ${inputs.node}, dist/ was built with ${stamp.node}`;
  if (stamp.python !== inputs.python) return `${PYTHON} changed since the build`;
  const changed = changes(stamp.files, inputs.files);
  if (changed) return `${changed} since the build`;
  const outputs = changes(stamp.outputs, buildOutputs(distDir));
  if (outputs) return `dist/${outputs} since the build`;
  return undefined;
}

/** The first difference between two maps of path to fingerprint: "<path> changed", "is new" or "is gone". */
function changes(before, now) {
  for (const [path, value] of Object.entries(now)) {
    if (!(path in before)) return `${path} is new`;
    if (before[path] !== value) return `${path} changed`;
  }
  for (const path of Object.keys(before)) if (!(path in now)) return `${path} is gone`;
  return undefined;
}
