/**
 * Output of `skills compat`: text for people, the exact JSON contract, markdown for PR comments, JUnit XML and
 * GitHub workflow annotations for CI. Every format says what broke, where in the code, and what to do.
 */
import type { CheckStatus } from "../../contracts/compat.js";
import type { CompatChangeReport, CompatDependencyReport, CompatResult } from "../../commands/compat.js";
import { type FailOn, reachesFailOn } from "../../core/compat/judge.js";
import { type JunitCase, renderJunit } from "../../core/testing/junit.js";
import type { CliContext } from "../context.js";
import type { Style } from "../style.js";

/**
 * Exactly the documented `--json` shape (docs/commands/compat.md), nothing the renderers use besides: the issue's
 * keys in its order, then the documented extensions, each only when it applies — a skill's `error` when it could not
 * be checked, `summary.error` when such skills exist, `fix` with --fix.
 */
export function compatJson(result: CompatResult): unknown {
  return {
    skills: result.skills.map((skill) => ({
      name: skill.name,
      status: skill.status,
      dependencies: skill.dependencies.map((dep) => ({
        tool: dep.tool,
        range: dep.range,
        locked: dep.locked,
        live: dep.live,
        status: dep.status,
        changes: dep.changes.map((change) => ({
          rule: change.rule,
          direction: change.direction,
          path: change.path,
          severity: change.severity,
          used: change.used,
          uses: change.uses,
        })),
        hints: dep.hints,
      })),
      ...(skill.error ? { error: skill.error } : {}),
    })),
    summary: {
      compatible: result.summary.compatible,
      warning: result.summary.warning,
      "migration-needed": result.summary["migration-needed"],
      incompatible: result.summary.incompatible,
      ...(result.summary.error > 0 ? { error: result.summary.error } : {}),
    },
    ...(result.fix
      ? {
          fix: {
            files: result.fix.files.map(({ file, diff }) => ({ file, diff })),
            applied: result.fix.applied,
            skipped: result.fix.skipped,
            next: result.fix.next,
          },
        }
      : {}),
  };
}

function paint(style: Style, status: CheckStatus, text: string = status): string {
  switch (status) {
    case "compatible":
      return style.green(text);
    case "warning":
      return style.yellow(text);
    default:
      return style.red(text);
  }
}

function mark(style: Style, status: CheckStatus): string {
  return status === "compatible" ? style.green("✓") : status === "warning" ? style.yellow("!") : style.red("✗");
}

function versions(dep: CompatDependencyReport): string {
  const locked = dep.locked ? `locked ${dep.locked.version}` : "not locked";
  const live = dep.live ? ` → now ${dep.live.version}` : "";
  return `${locked}${live}`;
}

function where(change: CompatChangeReport): string {
  return change.uses.map((use) => `${use.file}:${use.line}`).join(", ");
}

export function renderCompatText(result: CompatResult, ctx: CliContext, failOn: FailOn): string {
  const { style } = ctx;
  const lines: string[] = [];
  for (const skill of result.skills) {
    lines.push(
      `${mark(style, skill.status)} ${style.bold(skill.name)}  ${paint(style, skill.status)}  ${style.dim(skill.dir)}`,
    );
    if (skill.error) {
      lines.push(`    ${style.red(skill.error.code)}  ${skill.error.message}`);
      if (skill.error.hint) lines.push(`    ${style.dim("hint:")} ${skill.error.hint}`);
    }
    for (const dep of skill.dependencies) {
      const quiet = dep.status === "compatible" && dep.changes.length === 0 && dep.hints.length === 0;
      lines.push(
        `  ${mark(style, dep.status)} ${dep.tool} ${style.dim(dep.range)}  ${style.dim(versions(dep))}  ${paint(style, dep.status)}`,
      );
      if (quiet) continue;
      const shown = dep.changes.filter((c) => c.severity !== "compatible");
      const hidden = dep.changes.length - shown.length;
      for (const change of shown) {
        const at = change.uses.length > 0 ? style.dim(`  ${where(change)}`) : "";
        lines.push(
          `      ${paint(style, change.severity, change.severity.padEnd(16))} ${style.cyan(change.rule)}  ${change.message}${at}`,
        );
      }
      if (hidden > 0)
        lines.push(
          style.dim(`      and ${hidden} compatible change${hidden === 1 ? "" : "s"} (--format json lists them)`),
        );
      for (const hint of dep.hints) lines.push(`      ${style.dim("hint:")} ${hint}`);
    }
    for (const note of skill.notes) lines.push(`    ${style.dim("note:")} ${note}`);
  }
  if (result.fix) lines.push("", ...renderFix(result, style));
  const s = result.summary;
  const counts = [
    paint(style, "compatible", `${s.compatible} compatible`),
    paint(style, "warning", `${s.warning} warning`),
    paint(style, "migration-needed", `${s["migration-needed"]} migration-needed`),
    paint(style, "incompatible", `${s.incompatible} incompatible`),
  ];
  if (s.error > 0) counts.push(style.red(`${s.error} not checked`));
  const failing = result.skills.filter((skill) => reachesFailOn(skill.status, failOn)).length;
  const against = result.against === "live" ? "the live servers" : result.against;
  lines.push(
    `${failing > 0 ? style.red("failed") : style.green("ok")}: ${result.skills.length} skill${result.skills.length === 1 ? "" : "s"} against ${against}${result.strict ? " (strict)" : ""} · ${counts.join(", ")}${style.dim(` · fails on ${failOn}`)}`,
  );
  return lines.join("\n");
}

function renderFix(result: CompatResult, style: Style): string[] {
  const fix = result.fix!;
  const lines: string[] = [];
  if (fix.files.length === 0) lines.push(style.dim("--fix: nothing to migrate mechanically"));
  for (const file of fix.files) {
    for (const line of file.diff.trimEnd().split("\n")) {
      lines.push(
        line.startsWith("+") && !line.startsWith("+++")
          ? style.green(line)
          : line.startsWith("-") && !line.startsWith("---")
            ? style.red(line)
            : line.startsWith("@@")
              ? style.cyan(line)
              : line,
      );
    }
  }
  for (const line of fix.applied) lines.push(`${style.green("fixed")} ${line}`);
  for (const line of fix.skipped) lines.push(`${style.yellow("by hand")} ${line}`);
  if (fix.next.length > 0) lines.push(style.dim("next:"), ...fix.next.map((line) => style.dim(`  ${line}`)));
  return lines;
}

export function renderCompatMarkdown(result: CompatResult, failOn: FailOn): string {
  const icon = (status: CheckStatus) =>
    status === "compatible" ? "✅" : status === "warning" ? "⚠️" : status === "migration-needed" ? "🛠️" : "❌";
  const esc = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const against = result.against === "live" ? "the live servers" : `\`${result.against}\``;
  const s = result.summary;
  const lines = [
    `## Tool compatibility against ${against}`,
    "",
    `${s.compatible} compatible · ${s.warning} warning · ${s["migration-needed"]} migration-needed · ${s.incompatible} incompatible${s.error > 0 ? ` · ${s.error} not checked` : ""} (fails on ${failOn}${result.strict ? ", strict" : ""})`,
    "",
    "| Skill | Status | Dependency | Locked | Now | Verdict |",
    "|---|---|---|---|---|---|",
  ];
  for (const skill of result.skills) {
    if (skill.dependencies.length === 0) {
      lines.push(
        `| ${esc(skill.name)} | ${icon(skill.status)} ${skill.status} | ${skill.error ? esc(skill.error.message) : "no tools"} | | | |`,
      );
    }
    for (const dep of skill.dependencies) {
      lines.push(
        `| ${esc(skill.name)} | ${icon(skill.status)} ${skill.status} | \`${dep.tool}\` ${esc(dep.range)} | ${dep.locked?.version ?? "-"} | ${dep.live?.version ?? "-"} | ${icon(dep.status)} ${dep.status} |`,
      );
    }
  }
  for (const skill of result.skills.filter((x) => x.status !== "compatible")) {
    lines.push("", `### ${icon(skill.status)} ${skill.name}: ${skill.status}`, "");
    if (skill.error)
      lines.push(
        `- **${skill.error.code}**: ${skill.error.message}${skill.error.hint ? ` — ${skill.error.hint}` : ""}`,
      );
    for (const dep of skill.dependencies.filter((d) => d.status !== "compatible")) {
      lines.push(`- \`${dep.tool}\` (${esc(dep.range)}): **${dep.status}**`);
      for (const change of dep.changes.filter((c) => c.severity !== "compatible")) {
        const at = change.uses.length > 0 ? ` — ${change.uses.map((u) => `\`${u.file}:${u.line}\``).join(", ")}` : "";
        lines.push(`  - ${change.severity}: \`${change.rule}\` ${change.message}${at}`);
      }
      for (const hint of dep.hints) lines.push(`  - 👉 ${hint}`);
    }
    for (const note of skill.notes) lines.push(`- note: ${note}`);
  }
  return `${lines.join("\n")}\n`;
}

export function renderCompatJunit(result: CompatResult, failOn: FailOn): string {
  const suites = result.skills.map((skill) => {
    const cases: JunitCase[] = [];
    if (skill.error) {
      cases.push({
        name: "(skill)",
        classname: skill.name,
        timeMs: 0,
        status: "error",
        message: skill.error.message,
        type: skill.error.code,
        details: `${skill.error.message}${skill.error.hint ? `\nhint: ${skill.error.hint}` : ""}`,
      });
    }
    for (const dep of skill.dependencies) {
      const failing = reachesFailOn(dep.status, failOn);
      const details = [
        ...dep.changes
          .filter((c) => c.severity !== "compatible")
          .map((c) => `${c.severity} ${c.rule}: ${c.message}${c.uses.length ? ` (${where(c)})` : ""}`),
        ...dep.hints.map((hint) => `hint: ${hint}`),
      ].join("\n");
      cases.push({
        name: dep.tool,
        classname: skill.name,
        timeMs: 0,
        file: skill.manifest,
        line: dep.manifestLine,
        status: dep.status === "error" ? "error" : failing ? "failed" : "passed",
        message: `${dep.tool}: ${dep.status}`,
        // the rule of the worst change names the failure
        type: dep.changes.find((c) => c.severity === dep.status)?.rule ?? dep.status,
        ...(details ? { details, ...(failing ? {} : { systemOut: details }) } : {}),
      });
    }
    return { name: skill.name, timeMs: 0, cases };
  });
  return renderJunit(suites, "skills compat");
}

/** GitHub workflow commands: `::error file=...,line=...,title=...::message` (values escaped as the runner expects). */
export function renderCompatGithub(result: CompatResult, failOn: FailOn): string {
  const data = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const prop = (text: string) => data(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const lines: string[] = [];
  const annotate = (
    level: "error" | "warning" | "notice",
    file: string,
    line: number,
    title: string,
    message: string,
  ) => lines.push(`::${level} file=${prop(file)},line=${line},title=${prop(title)}::${data(message)}`);
  for (const skill of result.skills) {
    if (skill.error)
      annotate(
        "error",
        skill.error.file ?? skill.manifest,
        1,
        `skills compat: ${skill.name}`,
        `${skill.error.code}: ${skill.error.message}${skill.error.hint ? `\nhint: ${skill.error.hint}` : ""}`,
      );
    for (const dep of skill.dependencies) {
      if (dep.status === "error") {
        annotate("error", skill.manifest, dep.manifestLine, `skills compat: ${dep.tool}`, dep.hints.join("\n"));
        continue;
      }
      for (const change of dep.changes) {
        if (change.severity === "compatible") continue;
        const level = reachesFailOn(change.severity, failOn) ? "error" : "warning";
        const title = `skills compat: ${change.rule}`;
        const message = `${dep.tool} (${change.severity}): ${change.message}${change.hint ? `\nhint: ${change.hint}` : ""}`;
        if (change.uses.length === 0) annotate(level, skill.manifest, dep.manifestLine, title, message);
        else for (const use of change.uses) annotate(level, use.file, use.line, title, message);
      }
    }
  }
  const s = result.summary;
  lines.push(
    `skills compat: ${s.compatible} compatible, ${s.warning} warning, ${s["migration-needed"]} migration-needed, ${s.incompatible} incompatible${s.error > 0 ? `, ${s.error} not checked` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}
