/**
 * A ToolBackend that passes every call to a live backend and records it, in call order, for a cassette. Secrets
 * (the server config's env and header values, well-known token shapes) are replaced before anything is written;
 * personal-looking values are flagged in the cassette's `pii` list.
 */

import { schemaFingerprint } from "../../core/testing/fingerprint.js";
import { flagPii, redactSecrets } from "../../core/testing/redact.js";
import { relativizePaths } from "../../core/testing/workspacePaths.js";
import { CASSETTE_VERSION, type Cassette, type CassetteCall, type CassetteTool } from "../../core/testing/types.js";
import { isSkillsError } from "../../errors.js";
import type { CallToolResult, ServerInfo, ToolBackend, ToolInfo } from "../../contracts/tools.js";
import type { JsonObject } from "../../contracts/json.js";

export interface RecordingOptions {
  /** Values that must never be written (env values and header values of the server config). */
  secrets?: string[];
  /** The project's folder: written as `${workspaceFolder}` wherever a call carries it. */
  workspace?: string;
}

export interface CassetteMeta {
  /** The tools the skill declares (all of them, so replay can generate the whole SDK). */
  tools: ToolInfo[];
  skill?: string;
  case?: string;
  recordedAt?: string;
}

export interface RecordingBackend extends ToolBackend {
  /** The calls so far, as they would be written (redacted and flagged). */
  cassette(meta: CassetteMeta): Cassette;
}

export function toCassetteTool(tool: ToolInfo): CassetteTool {
  return { ...structuredClone(tool), fingerprint: schemaFingerprint(tool) };
}

export function createRecordingBackend(live: ToolBackend, options: RecordingOptions = {}): RecordingBackend {
  const calls: CassetteCall[] = [];
  const batchOf = new Map<CassetteCall, number>();
  let inFlight = 0;
  let batch = 0;
  return {
    listTools: (servers) => live.listTools(servers),
    async callTool(server, tool, args, callOptions): Promise<CallToolResult> {
      // The slot is taken when the call starts, so concurrent calls keep the order the program made them in.
      const slot: CassetteCall = { server, tool, arguments: structuredClone(args) as JsonObject };
      calls.push(slot);
      if (inFlight === 0) batch++;
      inFlight++;
      batchOf.set(slot, batch);
      try {
        const result = await live.callTool(server, tool, args, callOptions);
        slot.result = structuredClone(result);
        return result;
      } catch (error) {
        slot.error = {
          code: isSkillsError(error) ? error.code : "TOOL_CALL_FAILED",
          message: error instanceof Error ? error.message : String(error),
        };
        throw error;
      } finally {
        inFlight--;
      }
    },
    close: () => live.close(),
    cassette(meta) {
      const servers: Record<string, ServerInfo> = {};
      for (const tool of meta.tools) servers[tool.server] = tool.serverInfo;
      const finished = calls.filter((c) => c.result !== undefined || c.error !== undefined);
      const sizes = new Map<number, number>();
      for (const c of finished) sizes.set(batchOf.get(c)!, (sizes.get(batchOf.get(c)!) ?? 0) + 1);
      // Only overlapping calls get a batch number (renumbered 1, 2, ... in order); sequential calls have none.
      const numbers = new Map<number, number>();
      const withBatch = finished.map((c) => {
        const id = batchOf.get(c)!;
        if ((sizes.get(id) ?? 0) < 2) return c;
        if (!numbers.has(id)) numbers.set(id, numbers.size + 1);
        return { ...c, batch: numbers.get(id)! };
      });
      const draft: Cassette = {
        version: CASSETTE_VERSION,
        ...(meta.skill ? { skill: meta.skill } : {}),
        ...(meta.case ? { case: meta.case } : {}),
        recordedAt: meta.recordedAt ?? new Date().toISOString(),
        servers,
        tools: meta.tools.map(toCassetteTool),
        calls: withBatch,
      };
      const { value, redactions } = redactSecrets(draft, { secrets: options.secrets ?? [] });
      // Tool schemas are the servers' public interface and are not scanned (their fingerprints must stay valid).
      value.tools = draft.tools;
      const kept = redactions.filter((r) => !r.pointer.startsWith("/tools/"));
      if (options.workspace) value.calls = relativizePaths(value.calls, options.workspace);
      const pii = flagPii(value.calls, "/calls");
      return { ...value, ...(kept.length > 0 ? { redactions: kept } : {}), ...(pii.length > 0 ? { pii } : {}) };
    },
  };
}
