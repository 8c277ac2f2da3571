/** From a finished run (and the replay report) to the case's failures. Pure. */
import type { Problem } from "../../contracts/problem.js";
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
  // A replay mismatch usually makes the run fail too (the program gets the refusal as a ToolError); the mismatch is
  // the cause, so expectation failures about that run error would only repeat its diff.
  const runMessage = outcome.ok ? "" : (outcome.error?.message ?? "");
  const causedByMismatch = (failure: Failure) =>
    (failure.kind === "run" || failure.kind === "error") &&
    (replay?.mismatches ?? []).some((m) => runMessage.includes(m.message) || /REPLAY_MISMATCH/.test(runMessage));
  failures.push(...evaluateExpectations(testCase.expect, outcome).filter((f) => !causedByMismatch(f)));
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
