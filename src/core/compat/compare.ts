/**
 * One dependency of a skill: the tool as locked against the tool now (live, or in a newer lock). Finds the changes
 * (tool gone or renamed, schema and metadata changes, a version outside the range), judges each against what the
 * skill's code uses, and gives the dependency's status and hints. Pure.
 */
import semver from "semver";
import type { CompatStatus, LockedTool, LockedToolEntry, ToolUsage } from "../../contracts/compat.js";
import { deprecationOf, diffTool, findRenamedTool } from "./diffTool.js";
import { hintFor, messageFor, type HintContext } from "./hints.js";
import { type JudgedChange, type JudgeOptions, judgeChange, worst } from "./judge.js";
import type { Change } from "./types.js";

export interface CompareInput {
  /** `server/tool` */
  key: string;
  /** The manifest's range. */
  range: string;
  before: LockedTool;
  /** The tool now; undefined when its server no longer lists it. */
  after?: LockedTool;
  /** The server now (when the tool is gone): its version for the range check. */
  serverNow?: { name: string; version: string; protocolVersion?: string };
  /** Every tool the server lists now: a removed tool may have been renamed to one of them. */
  siblings: LockedToolEntry[];
  /** Tool names of the server that existed before (locked anywhere): they are not renames. */
  existedBefore: Set<string>;
}

export interface DependencyResult {
  status: CompatStatus;
  /** Each change with its message, and what to do about it when it matters. */
  changes: (JudgedChange & { message: string; hint?: string })[];
  hints: string[];
  live: { server: string; version: string } | null;
}

const ranges = new Map<string, semver.Range | null>();

/** Parsed once per range text: many dependencies share a range. */
function parsedRange(text: string): semver.Range | null {
  if (!ranges.has(text)) {
    let range: semver.Range | null;
    try {
      range = new semver.Range(text, { includePrerelease: true });
    } catch {
      range = null;
    }
    ranges.set(text, range);
  }
  return ranges.get(text) ?? null;
}

export function findChanges(input: CompareInput): Change[] {
  const { before, after } = input;
  const changes: Change[] = [];
  if (!after) {
    const { renamed, similar } = findRenamedTool(before.tool, input.siblings, input.existedBefore);
    if (renamed) {
      changes.push({
        rule: "tool-renamed",
        direction: "tool",
        path: "/name",
        field: [],
        rename: { from: before.tool.name, to: renamed.name },
      });
      const deprecation = deprecationOf(renamed);
      if (deprecation)
        changes.push({
          rule: "tool-deprecated",
          direction: "tool",
          path: deprecation.path,
          field: [],
          text: deprecation.text,
        });
    } else {
      changes.push({
        rule: "tool-removed",
        direction: "tool",
        path: "/name",
        field: [],
        before: before.tool.name,
        after: similar,
      });
    }
  } else {
    // the same hash is the same entry: nothing to diff
    if (after.sha256 !== before.sha256) changes.push(...diffTool(before.tool, after.tool));
    if (after.protocolVersion !== before.protocolVersion) {
      changes.push({
        rule: "protocol-version-changed",
        direction: "tool",
        path: "/protocolVersion",
        field: [],
        before: before.protocolVersion,
        after: after.protocolVersion,
      });
    }
  }
  const version = after?.version ?? input.serverNow?.version;
  const range = parsedRange(input.range);
  if (version && range && semver.valid(version) && !range.test(version)) {
    changes.push({
      rule: "version-out-of-range",
      direction: "tool",
      path: "/version",
      field: [],
      before: input.range,
      after: version,
    });
  }
  return changes;
}

export function compareDependency(
  input: CompareInput,
  usage: ToolUsage | undefined,
  options: JudgeOptions & Omit<HintContext, "tool" | "usage">,
): DependencyResult {
  const changes = findChanges(input);
  const judged = changes.map((change) => judgeChange(change, usage, options));
  const context: HintContext = { ...options, tool: input.before.tool.name, usage };
  // a version outside the range matters only as a warning when nothing the skill uses changed
  const surfaceChanged = judged.some((c) => c.rule !== "version-out-of-range" && c.severity !== "compatible");
  const withMessages = judged.map((change): JudgedChange & { message: string; hint?: string } => {
    const described = { ...change, message: messageFor(change, context) };
    return change.severity === "compatible"
      ? described
      : { ...described, hint: hintFor(described, context, surfaceChanged) };
  });
  const hints = withMessages
    .flatMap((change) => (change.hint ? [change.hint] : []))
    .filter((hint, index, all) => all.indexOf(hint) === index);
  const liveServer = input.after?.server ?? input.before.server;
  const liveVersion = input.after?.version ?? input.serverNow?.version;
  return {
    status: worst(judged.map((c) => c.severity)),
    changes: withMessages,
    hints,
    live: liveVersion !== undefined ? { server: liveServer, version: liveVersion } : null,
  };
}
