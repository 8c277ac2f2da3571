/** Human rendering of `skills doctor`. The first line is `isolation: bwrap` or `isolation: process`. */
import type { DoctorResult } from "../../commands/doctor.js";
import type { CliContext } from "../context.js";

export function renderDoctor(result: DoctorResult, ctx: CliContext): string {
  const { style } = ctx;
  const iso = result.isolation;
  const ok = (flag: boolean) => (flag ? style.green("yes") : style.red("no"));
  const out: string[] = [];
  out.push(
    `isolation: ${iso.isolation === "bwrap" ? style.green("bwrap") : style.yellow(iso.isolation)}` +
      (iso.isolation === "bwrap" ? "" : style.yellow("  (programs run with limits only, not in a sandbox)")),
  );
  out.push(`  bwrap:     ${iso.bwrap ? `${iso.bwrap.version} (${iso.bwrap.path})` : style.red("not found")}`);
  out.push(`  userns:    ${ok(iso.userns)}`);
  out.push(`  setpriv:   ${ok(iso.setpriv)}`);
  out.push(`  prlimit:   ${ok(iso.prlimit)}`);
  const cgroup = iso.cgroup;
  out.push(
    `  cgroups:   ${
      cgroup.version === null
        ? style.yellow("none usable (memory and pids limits fall back to rlimits)")
        : `v${cgroup.version}, memory ${ok(cgroup.memory)}, pids ${ok(cgroup.pids)}${cgroup.path ? style.dim(`  ${cgroup.path}`) : ""}`
    }`,
  );
  for (const reason of iso.reasons) out.push(style.dim(`  - ${reason}`));
  out.push(`  require isolation: ${result.requireIsolation ? "yes (skills.config.json)" : "no"}`);
  out.push("interpreters:");
  for (const check of result.interpreters) {
    out.push(
      `  ${check.name.padEnd(8)} ${check.ok ? `${check.version ?? "?"}` : style.red(check.error ?? "unavailable")}  ${style.dim(check.path)}`,
    );
  }
  const blocked = result.binds.filter((bind) => !bind.ok);
  out.push(
    `run paths: ${blocked.length === 0 ? style.green(`${result.binds.length} bound paths reachable by the run's uid`) : style.red(`${blocked.length} of ${result.binds.length} bound paths unreachable`)}`,
  );
  for (const bind of blocked) out.push(`  ${style.red("✗")} ${bind.path}: ${bind.problem}`);
  if (result.trial.length > 0) {
    out.push(
      `trial runs: ${result.trial.map((run) => (run.ok ? `${run.language} ${style.green("ok")} ${style.dim(`${run.ms} ms`)}` : `${run.language} ${style.red("failed")}`)).join(", ")}`,
    );
    for (const run of result.trial) if (!run.ok) out.push(`  ${style.red("✗")} ${run.language}: ${run.error}`);
  }
  const cache = result.codeCache;
  out.push(
    `code cache: ${
      cache.state === "usable"
        ? style.dim(cache.path)
        : cache.state === "off"
          ? "off (SKILLS_CODE_CACHE=off)"
          : style.yellow(`not used: ${cache.path} (${cache.reason})`)
    }`,
  );
  if (result.servers) {
    out.push(`servers${result.mcpConfig ? style.dim(` (${result.mcpConfig})`) : ""}:`);
    const width = Math.max(...result.servers.map((server) => server.name.length), 4);
    for (const server of result.servers) {
      out.push(
        server.ok
          ? `  ${style.green("✓")} ${server.name.padEnd(width)}  ${server.version ?? "?"}  ${server.tools} tools  ${style.dim(`${server.ms} ms`)}`
          : `  ${style.red("✗")} ${server.name.padEnd(width)}  ${style.red(server.error ?? "failed")}`,
      );
    }
  } else {
    out.push(style.dim("servers: not checked (add --servers to start every server in .mcp.json)"));
  }
  for (const warning of result.warnings) out.push(style.yellow(`warning: ${warning}`));
  if (result.problems.length > 0) {
    out.push(style.red(`${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}:`));
    for (const problem of result.problems) out.push(`  ${problem}`);
  } else if (result.warnings.length === 0) {
    out.push(style.green("everything looks fine"));
  }
  return out.join("\n");
}
