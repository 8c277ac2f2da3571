// What locking adds to a run that already has the catalog (`skills test --record`, `skills new`): a fresh process
// first does what such a run has done before it locks — loads the test command and the catalog code, reads the
// skill and the project's .mcp.json — then imports the lock code and locks the skill, as those commands do on
// demand. Only that last part is timed. The catalog cache must be current.
//   node bench/lib/lockOnce.mjs <project> <skill>  -> { ms, cpuMs } on stdout
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;
const [project, skillDir] = process.argv.slice(2);
const [, , { loadSkill }, { loadMcpConfig }] = await Promise.all([
  import(dist("commands/test.js")),
  import(dist("mcp/catalog.js")),
  import(dist("store/loadSkill.js")),
  import(dist("mcp/config.js")),
]);
if (!(await loadSkill(join(project, skillDir))).ok) throw new Error(`${skillDir} does not load`);
await loadMcpConfig({ cwd: project });

const cpu = process.cpuUsage();
const start = performance.now();
const { lockSkillFolders } = await import(dist("commands/shared/lock.js"));
const [skill] = await lockSkillFolders({ cwd: project, paths: [skillDir] });
const used = process.cpuUsage(cpu);
if (skill?.status !== "unchanged") throw new Error(`expected an unchanged lock, got ${JSON.stringify(skill)}`);
process.stdout.write(JSON.stringify({ ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }));
