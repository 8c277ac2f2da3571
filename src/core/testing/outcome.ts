/** From a finished run (and the replay report) to the case's failures. Pure. */
import type { Problem } from "../problem.js";
import { prettyJson } from "./diff.js";
import { evaluateExpectations, type RunOutcome } from "./matchers.js";
import type { Failure, TestCase } from "./types.js";

export interface ReplayFindings {
  mismatches: { call: number; message: string; diff: string }[];
  unused: { index: number; server: string; tool: string; arguments: unknown }[];
}

export function caseFailures(
  testCase: TestCase,
  outcome: RunOutcome,
  replay: ReplayFindings | undefined,
  strictWarnings: Problem[],
): Failure[] {
  const failures: Failure[] = [];
  for (const mismatch of replay?.mismatches ?? []) {
    failures.push({ kind: "replay", message: mismatch.message, diff: mismatch.diff });
  }
  // A replay mismatch usually makes the run fail too; the mismatch is the useful message then.
  const expectations = evaluateExpectations(testCase.expect, outcome);
  const mismatchCaused = (failure: Failure) =>
    failure.kind === "run" &&
    (replay?.mismatches.length ?? 0) > 0 &&
    /REPLAY_MISMATCH|arguments differ|expected .* call|no more calls/.test(failure.message);
  failures.push(...expectations.filter((f) => !mismatchCaused(f)));
  if (replay && replay.unused.length > 0 && !testCase.allowUnused && replay.mismatches.length === 0) {
    failures.push({
      kind: "unused",
      message: `${replay.unused.length} recorded call${replay.unused.length === 1 ? " was" : "s were"} not made (set allowUnused: true if that is expected)`,
      diff: replay.unused
        .map((u) => `#${u.index + 1} ${u.server}/${u.tool} ${prettyJson(u.arguments).replace(/\n\s*/g, " ")}`)
        .join("\n"),
    });
  }
  for (const warning of strictWarnings) {
    failures.push({ kind: "fingerprint", message: `${warning.message} (--strict)` });
  }
  return failures;
}
