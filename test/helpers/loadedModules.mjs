// `node --import ./loadedModules.mjs ...`: writes every module file the process loaded (ESM and CommonJS), one per
// line, to the file named by LOADED_MODULES_FILE when the process exits.
import { writeFileSync } from "node:fs";
import { Module, register } from "node:module";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";

const loaded = new Set();
const { port1, port2 } = new MessageChannel();
port1.on("message", (url) => loaded.add(url));
port1.unref();
register("./loadedModulesHooks.mjs", import.meta.url, { data: { port: port2 }, transferList: [port2] });
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exports = load.apply(this, arguments);
  try {
    loaded.add(Module._resolveFilename(request, parent, isMain));
  } catch {}
  return exports;
};
process.on("exit", () => {
  const files = [...loaded]
    .map((entry) => (entry.startsWith("file:") ? fileURLToPath(entry) : entry))
    .filter((entry) => entry.startsWith("/"));
  writeFileSync(process.env.LOADED_MODULES_FILE, `${[...new Set(files)].sort().join("\n")}\n`);
});
