// The host's bundler for TypeScript/JavaScript programs, in a child process the host can kill.
//
// Started by src/sandbox/bundler.ts (node, an IPC channel, a memory cap) and never inside the sandbox: it runs as the
// host's user and could read any host file, so every import goes through one esbuild plugin that allows only
//   - node built-ins (left as imports: they resolve inside the sandbox),
//   - the SDK alias `servers` / `servers/...` (the run's own generated SDK tree),
//   - files whose real path (links followed) is inside one of the allowed roots (the skill folder, or an empty
//     folder for programs without one) or the SDK tree,
// and loads them itself: regular files only, JS/TS/JSON loaders only (no text, file, binary, dataurl...), the import
// attribute `{ type: "json" }` only and only on .json files, at most `maxInputBytes` of source in all. esbuild never
// opens a file on its own. One request at a time; the host sends {id, ...} and gets {id, ok, ...} back.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, extname, isAbsolute, relative, sep } from "node:path";
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
const RESOLVING = Symbol("resolving");

function isInside(root, path) {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function mib(bytes) {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
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

function confine(request, inputs) {
  const roots = request.roots.map((root) => realpathSync(root));
  const sdk = realpathSync(request.sdkDir);
  let loaded = 0;
  return {
    name: "skills-confine",
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const sdkImport = args.path === "servers" || args.path.startsWith("servers/");
        const found = await b.resolve(sdkImport ? `./${args.path}` : args.path, {
          kind: args.kind,
          resolveDir: sdkImport ? sdk : args.resolveDir,
          importer: args.importer,
          pluginData: RESOLVING,
        });
        if (found.errors.length > 0) {
          const missing = sdkImport ? ` (originally "${args.path}")` : "";
          return { errors: found.errors.map((e) => ({ ...e, text: `${e.text}${missing}` })) };
        }
        const refuse = (why) => ({
          errors: [
            {
              text: `cannot import "${args.path}": ${why}; only files inside the skill folder and the generated SDK ("servers/...") can be imported`,
            },
          ],
        });
        if (found.external || found.namespace !== "file") return refuse("it is not a file of the program");
        let real;
        try {
          real = realpathSync(found.path);
        } catch {
          return refuse(`${found.path} does not exist`);
        }
        if (!roots.some((root) => isInside(root, real)) && !isInside(sdk, real)) {
          return refuse(`${real === found.path ? real : `${found.path} (really ${real})`} is outside the skill folder`);
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
          // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
          fd = openSync(args.path, constants.O_RDONLY | constants.O_NONBLOCK);
        } catch (error) {
          return { errors: [{ text: `cannot read ${args.path}: ${error.message}` }] };
        }
        try {
          const stat = fstatSync(fd);
          if (!stat.isFile()) return { errors: [{ text: `${args.path} is not a regular file` }] };
          const room = request.maxInputBytes - loaded;
          const contents = readBounded(fd, room);
          if (contents === null) {
            return {
              errors: [
                {
                  text: `${args.path} takes the program's sources over the ${mib(request.maxInputBytes)} bundling limit`,
                },
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

async function bundle(request) {
  const inputs = [];
  const out = await build({
    stdin: { contents: request.code, loader: request.loader, resolveDir: request.roots[0], sourcefile: request.filename },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
    plugins: [confine(request, inputs)],
  });
  const code = out.outputFiles[0].text;
  if (Buffer.byteLength(code) > request.maxOutputBytes) {
    return {
      ok: false,
      errors: [{ text: `the bundled program is over the ${mib(request.maxOutputBytes)} limit` }],
    };
  }
  return { ok: true, code, inputs };
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
  const js = (await transform(request.code, { loader: request.loader, format: "esm", sourcefile: request.filename }))
    .code;
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
