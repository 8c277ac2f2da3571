/**
 * A one-shot helper the host runs over untrusted text (the Python usage analysis parses skill code with `ast`): the
 * interpreter under the sandbox's own bwrap profile (command.ts) without a run's folders — no network, no
 * environment, read-only system, a fresh /tmp, nobody — or, where bwrap cannot run, as nobody (when the host is root)
 * with an empty environment. The sandbox owns every bwrap argv, so isolation is reviewed in one folder.
 */
import type { Isolation } from "../contracts/run.js";
import { SkillsError } from "../errors.js";
import { bwrapSystemArgs, interpreterPrefix } from "./command.js";
import { canDisableUserns, detectIsolation, findExecutable, isRoot, SANDBOX_UID } from "./isolation.js";

export interface HelperCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Set when the host is root: spawn() drops to nobody (and clears the supplementary groups). */
  uid?: number;
  gid?: number;
  isolation: Isolation;
}

export interface HelperOptions {
  /** What the helper is for, in messages: "the Python usage analysis". */
  purpose: string;
  /** What to do when the interpreter is missing. */
  hint: string;
}

const ENV = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" };

export async function helperCommand(
  interpreter: string,
  interpreterArgs: string[],
  options: HelperOptions,
): Promise<HelperCommand> {
  const dropRoot = isRoot() ? { uid: SANDBOX_UID, gid: SANDBOX_UID } : {};
  const isolation = await detectIsolation();
  const bwrap = findExecutable("bwrap");
  if (isolation.isolation !== "bwrap" || !bwrap) {
    return { file: interpreter, args: interpreterArgs, env: ENV, cwd: "/", ...dropRoot, isolation: "process" };
  }
  let prefix: string | null;
  try {
    prefix = interpreterPrefix(interpreter);
  } catch {
    throw new SkillsError("SANDBOX_UNAVAILABLE", `cannot find ${interpreter} for ${options.purpose}`, {
      hint: options.hint,
    });
  }
  // /tmp first: an interpreter installed under /tmp is bound on top of it
  const args = [...bwrapSystemArgs(canDisableUserns()), "--tmpfs", "/tmp"];
  if (prefix) args.push("--ro-bind", prefix, prefix);
  args.push("--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp");
  for (const [key, value] of Object.entries(ENV)) args.push("--setenv", key, value);
  args.push("--", interpreter, ...interpreterArgs);
  return { file: bwrap, args, env: ENV, cwd: "/", ...dropRoot, isolation: "bwrap" };
}
