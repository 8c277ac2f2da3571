/**
 * A ToolBackend that answers from a cassette: each call must be the next recorded one (or, with order "any", any
 * unused recorded one with equal arguments). A call that differs is refused with REPLAY_MISMATCH and a readable
 * expected-vs-actual diff; the refusal is also kept in `report()`, so the case fails even if the program catches it.
 */

import { argsMatch, comparableArgs } from "../../core/testing/argMatch.js";
import { renderCallDiff } from "../../core/testing/diff.js";
import { absolutizePaths } from "../../core/testing/workspacePaths.js";
import type { ArgRules, Cassette, CassetteCall } from "../../core/testing/types.js";
import { ERROR_CODES, type ErrorCode, SkillsError } from "../../errors.js";
import type { CallToolResult, ToolBackend, ToolInfo } from "../../contracts/tools.js";
import type { JsonObject } from "../../contracts/json.js";

export interface ReplayOptions {
  args?: ArgRules;
  order?: "strict" | "any";
  /** Cassette path, for messages. */
  file?: string;
  /** The project's folder: what `${workspaceFolder}` in the recorded calls stands for. */
  workspace?: string;
}

export interface ReplayMismatch {
  /** 1-based number of the program's call. */
  call: number;
  message: string;
  diff: string;
}

export interface ReplayReport {
  /** Calls the program made. */
  calls: number;
  consumed: number;
  mismatches: ReplayMismatch[];
  /** Recorded calls the program never made. */
  unused: { index: number; server: string; tool: string; arguments: JsonObject }[];
}

export interface ReplayBackend extends ToolBackend {
  report(): ReplayReport;
}

/** The ToolInfo list a replayed run declares (the cassette's recorded schemas, no server needed). */
export function toolsFromCassette(cassette: Cassette): ToolInfo[] {
  return cassette.tools.map(({ fingerprint: _fingerprint, ...tool }) => tool);
}

function errorCode(code: string): ErrorCode {
  return Object.hasOwn(ERROR_CODES, code) ? (code as ErrorCode) : "TOOL_CALL_FAILED";
}

export function createReplayBackend(cassette: Cassette, options: ReplayOptions = {}): ReplayBackend {
  const calls = options.workspace ? absolutizePaths(cassette.calls, options.workspace) : cassette.calls;
  const used = new Array<boolean>(calls.length).fill(false);
  const mismatches: ReplayMismatch[] = [];
  let made = 0;
  let cursor = 0;
  const rules = options.args ?? {};
  const where = options.file ? ` (${options.file})` : "";

  const same = (recorded: CassetteCall, server: string, tool: string, args: JsonObject) =>
    recorded.server === server && recorded.tool === tool && argsMatch(recorded.arguments, args, rules);

  const pick = (server: string, tool: string, args: JsonObject): { index: number } | { expected?: CassetteCall } => {
    if (options.order === "any") {
      const index = calls.findIndex((c, i) => !used[i] && same(c, server, tool, args));
      if (index >= 0) return { index };
      const closest =
        calls.find((c, i) => !used[i] && c.server === server && c.tool === tool) ?? calls.find((_c, i) => !used[i]);
      return { expected: closest };
    }
    const next = calls[cursor];
    if (next && same(next, server, tool, args)) return { index: cursor };
    // Calls recorded concurrently (one batch) may come in any order among themselves.
    if (next?.batch !== undefined) {
      for (let i = cursor + 1; i < calls.length && calls[i]!.batch === next.batch; i++) {
        if (!used[i] && same(calls[i]!, server, tool, args)) return { index: i };
      }
      const sameTool = calls.findIndex(
        (c, i) => i >= cursor && !used[i] && c.batch === next.batch && c.server === server && c.tool === tool,
      );
      if (sameTool >= 0) return { expected: calls[sameTool] };
    }
    return { expected: next };
  };

  return {
    async listTools(servers) {
      const tools = cassette.tools.filter((t) => !servers || servers.includes(t.server));
      return toolsFromCassette({ ...cassette, tools });
    },
    async callTool(server, tool, args): Promise<CallToolResult> {
      made++;
      const found = pick(server, tool, args);
      if (!("index" in found)) {
        const expected = found.expected;
        const actual = { server, tool, arguments: comparableArgs(args, rules) };
        const message = !expected
          ? `unexpected call #${made} to ${server}/${tool}: the cassette has no more calls${where}`
          : expected.server !== server || expected.tool !== tool
            ? `call #${made}: expected ${expected.server}/${expected.tool}, the program called ${server}/${tool}${where}`
            : `call #${made} to ${server}/${tool}: arguments differ from the recording${where}`;
        const diff = renderCallDiff(
          expected
            ? { server: expected.server, tool: expected.tool, arguments: comparableArgs(expected.arguments, rules) }
            : undefined,
          actual,
        );
        mismatches.push({ call: made, message, diff });
        throw new SkillsError("REPLAY_MISMATCH", `${message}\n${diff}`, {
          ...(options.file ? { file: options.file } : {}),
          hint: "re-record with `skills test --record` if the change is intended, or list volatile fields in `args.ignore`",
        });
      }
      const recorded = calls[found.index]!;
      used[found.index] = true;
      while (cursor < calls.length && used[cursor]) cursor++;
      if (recorded.error)
        throw new SkillsError(errorCode(recorded.error.code), recorded.error.message, { replayed: true });
      return structuredClone(recorded.result as CallToolResult);
    },
    async close() {},
    report() {
      const unused = calls
        .map((c, index) => ({ index, server: c.server, tool: c.tool, arguments: c.arguments }))
        .filter((c) => !used[c.index]);
      return { calls: made, consumed: used.filter(Boolean).length, mismatches: [...mismatches], unused };
    },
  };
}
