// One `compat()` call in a fresh process that has imported the toolkit, timed without node's start and the module
// loading (the CLI rows of bench/compat.mjs measure those):
//   node bench/lib/compatOnce.mjs <project>  -> { ms, cpuMs } on stdout
import { performance } from "node:perf_hooks";

const { compat } = await import(new URL("../../dist/index.js", import.meta.url).href);
const cpu = process.cpuUsage();
const start = performance.now();
await compat({ cwd: process.argv[2] });
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }));
