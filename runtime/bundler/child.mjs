// The host's bundler for TypeScript/JavaScript programs, in a child process the host can kill.
//
// Started by src/sandbox/bundler.ts (node, an IPC channel, a memory cap) and never inside the sandbox: it runs as the
// host's user and could read any host file. So esbuild never touches the file system here: one plugin resolves
// every import itself and loads every file itself (esbuild's own resolver would read package.json and tsconfig.json
// files in every folder above the program, wherever they point, and quote them in its errors). It allows only
//   - node built-ins (left as imports: they resolve inside the sandbox),
//   - the SDK alias `servers` / `servers/...` (the run's own generated SDK tree),
//   - files whose real path (links followed) is inside one of the allowed roots (the skill folder, or an empty
//     folder for programs without one) or the SDK tree: relative and absolute paths, and packages from
//     `node_modules` folders inside a root (never above it),
// and loads them as regular files with the JS/TS/JSON loaders only (no text, file, binary, dataurl...), the import
// attribute `{ type: "json" }` only and only on .json files, at most `maxInputBytes` of source in all.
// One request at a time; the host sends {id, ...} and gets {id, ok, ...} back.
import { closeSync, constants, fstatSync, openSync, readSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { build, transform } from "esbuild";

const LOADERS = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".jsx": "jsx",
  ".json": "json",
};
const KINDS = Object.keys(LOADERS).join(", ");
const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx", ".json"];
/** TypeScript's convention: `import "./x.js"` means ./x.ts when only that exists. */
const TS_FOR_JS = { ".js": [".ts", ".tsx"], ".mjs": [".mts"], ".cjs": [".cts"], ".jsx": [".tsx"] };
const CONDITIONS = ["import", "node", "module", "default", "require"];
const MAX_PACKAGE_JSON = 1024 * 1024;

function isInside(root, path) {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function mib(bytes) {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

function kindOf(path) {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? "dir" : stat.isFile() ? "file" : "other";
  } catch {
    return null;
  }
}

/** The file an import path names: as is, with an extension, a .ts for a .js, or a folder's index. */
function probe(path) {
  const kind = kindOf(path);
  if (kind === "file" || kind === "other") return path;
  const ext = extname(path);
  for (const alt of TS_FOR_JS[ext] ?? []) {
    const candidate = path.slice(0, -ext.length) + alt;
    if (kindOf(candidate)) return candidate;
  }
  for (const e of EXTENSIONS) if (kindOf(path + e)) return path + e;
  if (kind === "dir") for (const e of EXTENSIONS) if (kindOf(join(path, `index${e}`))) return join(path, `index${e}`);
  return null;
}

/** Reads at most `max` bytes of an open regular file; null when it holds more. */
function readBounded(fd, max) {
  const chunks = [];
  let total = 0;
  const buffer = Buffer.alloc(Math.min(max + 1, 1 << 20));
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, null);
    if (n === 0) break;
    total += n;
    if (total > max) return null;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** Opens a path that must be a regular file (non-blocking: a FIFO would wait for a writer forever). */
function openRegular(path) {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new Error(`${path} is not a regular file`);
  }
  return fd;
}

/** An `exports` target for the import conditions a bundle for node uses. */
function pickExport(target) {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = pickExport(item);
      if (found) return found;
    }
    return null;
  }
  if (target && typeof target === "object") {
    for (const condition of CONDITIONS) if (condition in target) return pickExport(target[condition]);
  }
  return null;
}

/** The file a package import names, from the package's own package.json (exports, module, main) or its index. */
function packageEntry(packageDir, subpath) {
  let manifest = {};
  const file = join(packageDir, "package.json");
  if (kindOf(file) === "file") {
    const fd = openRegular(file);
    try {
      const raw = readBounded(fd, MAX_PACKAGE_JSON);
      manifest = raw === null ? {} : JSON.parse(raw.toString("utf8"));
    } catch {
      throw new Error(`${file} is not a readable package.json`);
    } finally {
      closeSync(fd);
    }
  }
  const exports = manifest.exports;
  if (exports !== undefined) {
    const key = subpath ? `./${subpath}` : ".";
    const sugar = typeof exports === "string" || Array.isArray(exports) || !Object.keys(exports).some((k) => k.startsWith("."));
    const target = sugar ? (key === "." ? exports : undefined) : exports[key];
    const picked = target === undefined ? null : pickExport(target);
    if (picked) return probe(resolve(packageDir, picked));
    if (!subpath || !sugar) return null;
  }
  if (subpath) return probe(join(packageDir, subpath));
  for (const field of ["module", "main"]) {
    if (typeof manifest[field] === "string") {
      const found = probe(resolve(packageDir, manifest[field]));
      if (found) return found;
    }
  }
  return probe(join(packageDir, "index"));
}

/** A bare import (`pkg`, `pkg/sub`, `@scope/pkg/sub`) from node_modules folders between `fromDir` and `root`. */
function resolvePackage(spec, fromDir, root) {
  const parts = spec.split("/");
  const length = spec.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, length).join("/");
  const subpath = parts.slice(length).join("/");
  for (let dir = fromDir; isInside(root, dir); dir = dirname(dir)) {
    const packageDir = join(dir, "node_modules", name);
    if (kindOf(packageDir) === "dir") {
      const real = realpathSync(packageDir);
      if (!isInside(root, real)) return { outside: real };
      return { path: packageEntry(real, subpath) };
    }
    if (dir === root) break;
  }
  return { path: null };
}

function confine(request, inputs) {
  const roots = request.roots.map((root) => realpathSync(root));
  const sdk = realpathSync(request.sdkDir);
  const allowed = [...roots, sdk];
  let loaded = 0;
  return {
    name: "skills-confine",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const spec = args.path;
        const refuse = (why) => ({
          errors: [
            {
              text: `cannot import "${spec}": ${why}; only files inside the skill folder and the generated SDK ("servers/...") can be imported`,
            },
          ],
        });
        if (isBuiltin(spec)) return { path: spec, external: true };
        const fromDir = args.resolveDir || roots[0];
        let candidate;
        if (spec === "servers" || spec.startsWith("servers/")) {
          candidate = probe(join(sdk, spec));
          if (!candidate) {
            return { errors: [{ text: `Could not resolve "${spec}" (originally "${spec}")` }] };
          }
        } else if (spec.startsWith("./") || spec.startsWith("../") || spec === "." || spec === ".." || isAbsolute(spec)) {
          candidate = probe(resolve(fromDir, spec));
          if (!candidate) return { errors: [{ text: `Could not resolve "${spec}"` }] };
        } else if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) {
          return refuse("URLs are not files of the program");
        } else {
          const root = allowed.find((r) => isInside(r, fromDir));
          if (!root) return refuse("there is no node_modules folder inside the skill folder to find it in");
          let found;
          try {
            found = resolvePackage(spec, fromDir, root);
          } catch (error) {
            return refuse(error.message);
          }
          if (found.outside) return refuse(`its package is really ${found.outside}, outside the skill folder`);
          if (!found.path) return { errors: [{ text: `Could not resolve "${spec}": no such package in node_modules inside the skill folder` }] };
          candidate = found.path;
        }
        let real;
        try {
          real = realpathSync(candidate);
        } catch {
          return refuse(`${candidate} does not exist`);
        }
        if (!allowed.some((root) => isInside(root, real))) {
          return refuse(`${real === candidate ? real : `${candidate} (really ${real})`} is outside the skill folder`);
        }
        const attributes = args.with ?? {};
        const keys = Object.keys(attributes);
        if (keys.some((key) => key !== "type") || (keys.length > 0 && attributes.type !== "json")) {
          const shown = keys.map((key) => `${key}: ${JSON.stringify(attributes[key])}`).join(", ");
          return refuse(`import attributes other than { type: "json" } are not allowed (got { ${shown} })`);
        }
        const loader = LOADERS[extname(real).toLowerCase()];
        if (!loader) return refuse(`${extname(real) || "a file without an extension"} is not code (${KINDS} only)`);
        if (keys.length > 0 && loader !== "json") return refuse('{ type: "json" } needs a .json file');
        return { path: real, namespace: "skills", pluginData: { loader } };
      });
      b.onLoad({ filter: /.*/, namespace: "skills" }, (args) => {
        let fd;
        try {
          fd = openRegular(args.path);
        } catch (error) {
          return { errors: [{ text: error.message.startsWith(args.path) ? error.message : `cannot read ${args.path}` }] };
        }
        try {
          // Where the descriptor really leads: a folder swapped for a link since the import was resolved is caught.
          const opened = readlinkSync(`/proc/self/fd/${fd}`);
          if (!allowed.some((root) => isInside(root, opened))) {
            return { errors: [{ text: `cannot import ${args.path}: it is really ${opened}, outside the skill folder` }] };
          }
          const stat = fstatSync(fd);
          const contents = readBounded(fd, request.maxInputBytes - loaded);
          if (contents === null) {
            return {
              errors: [
                { text: `${args.path} takes the program's sources over the ${mib(request.maxInputBytes)} bundling limit` },
              ],
            };
          }
          loaded += contents.length;
          inputs.push({ path: args.path, size: stat.size, mtimeMs: stat.mtimeMs });
          return { contents, loader: args.pluginData.loader, resolveDir: dirname(args.path) };
        } finally {
          closeSync(fd);
        }
      });
    },
  };
}

/** A virtual output path: nothing is written; the source map's paths are relative to its folder. */
const OUTFILE = "/__skills__/bundle.js";
const STDIN_SOURCE = "__skills_entry__";

async function bundle(request) {
  const inputs = [];
  const out = await build({
    stdin: { contents: request.code, loader: request.loader, resolveDir: request.roots[0], sourcefile: STDIN_SOURCE },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    outfile: OUTFILE,
    // The map stays on the host: it turns the stack of a failed run back into the program's own files and lines.
    sourcemap: "external",
    sourcesContent: true,
    logLevel: "silent",
    // No tsconfig.json is looked for: the settings are the defaults, wherever the program is.
    tsconfigRaw: "{}",
    plugins: [confine(request, inputs)],
  });
  const js = out.outputFiles.find((file) => file.path === OUTFILE);
  const mapFile = out.outputFiles.find((file) => file.path === `${OUTFILE}.map`);
  const code = js.text.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, "\n");
  if (Buffer.byteLength(code) > request.maxOutputBytes) {
    return {
      ok: false,
      errors: [{ text: `the bundled program is over the ${mib(request.maxOutputBytes)} limit` }],
    };
  }
  return { ok: true, code, inputs, map: mapFile ? sourceMapFor(mapFile.text, request) : undefined };
}

/**
 * The source map with each source named as the user knows it: the program itself as `request.filename`, files of
 * the skill folder relative to it (`lib/util.ts`), the generated SDK as `servers/...`; anything else absolute.
 */
function sourceMapFor(text, request) {
  const map = JSON.parse(text);
  const root = realpathSync(request.roots[0]);
  const sdk = realpathSync(request.sdkDir);
  map.sources = map.sources.map((source) => {
    if (decodeURIComponent(source).endsWith(STDIN_SOURCE)) return request.filename;
    const path = source.includes("skills:") ? source.slice(source.indexOf("skills:") + "skills:".length) : resolve(dirname(OUTFILE), source);
    if (isInside(sdk, path)) return relative(sdk, path);
    return isInside(root, path) ? relative(root, path) : path;
  });
  return JSON.stringify(map);
}

/** Where an error is: the program itself (esbuild names stdin by a path relative to the cwd), or an imported file. */
function fileOf(file, request) {
  if (!file?.startsWith("skills:")) return request.filename;
  const path = file.slice("skills:".length);
  const root = realpathSync(request.roots[0]);
  return isInside(root, path) ? relative(root, path) : path;
}

function errorsOf(error, request) {
  if (Array.isArray(error?.errors) && error.errors.length > 0) {
    return error.errors.map((e) => ({
      text: e.text,
      location: e.location
        ? { file: fileOf(e.location.file, request), line: e.location.line, column: e.location.column }
        : null,
    }));
  }
  return [{ text: String(error?.message ?? error), location: null }];
}

/** Session cells are transpiled first: the host reads their top-level names and bundles the JS with exports added. */
async function transpile(request) {
  const js = (
    await transform(request.code, { loader: request.loader, format: "esm", sourcefile: request.filename, tsconfigRaw: "{}" })
  ).code;
  return { ok: true, code: js };
}

process.on("message", (request) => {
  const work = request.kind === "transpile" ? transpile(request) : bundle(request);
  work.then(
    (reply) => process.send({ id: request.id, ...reply }),
    (error) => {
      // esbuild's own process died (out of memory, stack overflow): this child cannot bundle any more. Its exit (and
      // esbuild's report on stderr) tells the host what happened.
      if (/The service (was stopped|is no longer running)/.test(String(error?.message))) process.exit(70);
      process.send({ id: request.id, ok: false, errors: errorsOf(error, request) });
    },
  );
});
process.on("disconnect", () => process.exit(0));
process.send({ ready: true });
