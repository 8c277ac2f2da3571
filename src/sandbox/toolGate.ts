/**
 * The host's checks on every tool call from a program: declared tools only, arguments valid against the tool's
 * inputSchema, at most maxToolCalls, interceptor hooks around the call, and a record per call.
 */
import { SkillsError, isSkillsError } from "../errors.js";
import type { JsonObject } from "../contracts/json.js";
import { type ToolBackend, type ToolInfo, toolKey } from "../contracts/tools.js";
import { BRIDGE_ERROR_CODES, type BridgeErrorCode, type JsonRpcError, type ToolCallParams } from "./protocol.js";
import { checkSchema } from "./schemaCache.js";
import type { ToolCallInterceptor, ToolCallRecord } from "../contracts/run.js";

export interface ToolGateOptions {
  tools: ToolInfo[];
  backend?: ToolBackend;
  maxToolCalls: number;
  interceptor?: ToolCallInterceptor;
  /** Called once when the program keeps calling after MAX_REFUSED refusals (the caller kills the worker). */
  onAbuse?: (reason: string) => void;
}

/** Refused calls a program may make before it is treated as flooding the bridge (bounds the host's records). */
export const MAX_REFUSED = 1000;

/** A refused call: the error the program gets, marked as a refusal (the bridge counts those). */
function refuse(code: BridgeErrorCode, message: string, extra: JsonObject = {}): { error: JsonRpcError; refused: string } {
  return { error: { code: BRIDGE_ERROR_CODES[code], message, data: { code, ...extra } }, refused: `a ${code} tool call` };
}

const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? "");

export class ToolGate {
  readonly records: ToolCallRecord[] = [];
  private readonly declared: Map<string, ToolInfo>;
  private calls = 0;
  private refused = 0;
  /** When the current program was handed its run: calls are timed from it. */
  private base = performance.now();

  /** Set by whoever runs the worker; defaults to options.onAbuse. */
  onAbuse: ((reason: string) => void) | undefined;

  constructor(private readonly options: ToolGateOptions) {
    this.onAbuse = options.onAbuse;
    this.declared = new Map(options.tools.map((tool) => [toolKey(tool.server, tool.name), tool]));
  }

  /** A program is handed its run now (a session's gate sees one per cell): its calls' startMs count from here. */
  begin(): void {
    this.base = performance.now();
  }

  /** Answers one "tools/call" request: a result, or a JSON-RPC error the runtime raises as ToolError. */
  async call(raw: unknown): Promise<{ result?: unknown; resultJson?: string; error?: JsonRpcError; refused?: string }> {
    const params = raw as Partial<ToolCallParams> | undefined;
    if (!params || typeof params.server !== "string" || typeof params.tool !== "string") {
      return refuse("BRIDGE_PROTOCOL", "tools/call needs params { server, tool, arguments }");
    }
    const { server, tool } = params;
    const key = toolKey(server, tool);
    const args = params.arguments ?? {};
    const bytesIn = byteLength(args);
    const started = performance.now();
    // When the backend was asked, and (for a call that waited for its server to connect) when it sent the request.
    let askedAt: number | undefined;
    let sentAt: number | undefined;
    const record = (ok: boolean, bytesOut: number, error?: string): void => {
      if (!ok && error !== "TOOL_ERROR") {
        this.refused += 1;
        if (this.refused > MAX_REFUSED) {
          if (this.refused === MAX_REFUSED + 1) {
            this.onAbuse?.(`the program kept calling tools after ${MAX_REFUSED} refused calls`);
          }
          return;
        }
      }
      this.records.push({
        tool: key,
        startMs: Math.round((started - this.base) * 1000) / 1000,
        ms: Math.round((performance.now() - started) * 1000) / 1000,
        ...waited(askedAt, sentAt),
        ok,
        bytesIn,
        bytesOut,
        ...(error ? { error } : {}),
      });
    };
    const info = this.declared.get(key);
    if (!info) {
      record(false, 0, "TOOL_NOT_DECLARED");
      const declared = [...this.declared.keys()];
      return refuse(
        "TOOL_NOT_DECLARED",
        `${key} is not declared for this program${declared.length ? ` (declared: ${declared.join(", ")})` : " (no tools are declared)"}; add it to the manifest's tools or to --tools`,
      );
    }
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
      record(false, 0, "TOOL_ARGS_INVALID");
      return refuse("TOOL_ARGS_INVALID", `${key}: arguments must be an object`, { pointer: "" });
    }
    const check = checkSchema("toolArguments", info.inputSchema, args);
    if (!check.ok) {
      record(false, 0, "TOOL_ARGS_INVALID");
      const where = check.pointer ? ` at ${check.pointer}` : "";
      return refuse("TOOL_ARGS_INVALID", `${key}: invalid arguments${where}: ${check.message}`, {
        pointer: check.pointer ?? "",
      });
    }
    if (this.calls >= this.options.maxToolCalls) {
      record(false, 0, "TOOL_CALL_LIMIT");
      return refuse(
        "TOOL_CALL_LIMIT",
        `${key}: the program made more than ${this.options.maxToolCalls} tool calls (max_tool_calls)`,
      );
    }
    this.calls += 1;
    if (!this.options.backend) {
      record(false, 0, "TOOL_CALL_FAILED");
      return refuse("TOOL_CALL_FAILED", `${key}: no tool backend is connected to this run`);
    }
    try {
      const interceptor = this.options.interceptor;
      const sent = interceptor ? interceptor.beforeCall(server, tool, args as JsonObject) : (args as JsonObject);
      askedAt = performance.now();
      const raw = await this.options.backend.callTool(server, tool, sent, {
        onWaited: () => {
          sentAt = performance.now();
        },
      });
      const result = interceptor ? interceptor.afterCall(server, tool, raw, args as JsonObject) : raw;
      const isError = (result as { isError?: unknown } | null)?.isError === true;
      // Serialized once: the size for the record and the text the bridge sends.
      const resultJson = JSON.stringify(result ?? null);
      record(!isError, Buffer.byteLength(resultJson), isError ? "TOOL_ERROR" : undefined);
      interceptor?.delivered?.(server, tool, resultJson);
      return { result, resultJson };
    } catch (error) {
      const code = isSkillsError(error) ? error.code : "TOOL_CALL_FAILED";
      record(false, 0, code);
      const raw = error instanceof Error ? error.message : String(error);
      // A server's error text can quote the real values the interceptor restored into the arguments.
      const message = this.options.interceptor?.scrub ? this.options.interceptor.scrub(raw) : raw;
      // The tool or its server failed: not the program's doing, so not a refusal.
      return { error: refuse("TOOL_CALL_FAILED", `${key}: ${message}`, { cause: code }).error };
    }
  }
}

/** A call's wait for its server to start and connect (`waitMs`), for a call that had to wait. */
function waited(askedAt: number | undefined, sentAt: number | undefined): { waitMs?: number } {
  if (askedAt === undefined || sentAt === undefined) return {};
  return { waitMs: Math.round((sentAt - askedAt) * 1000) / 1000 };
}

export function assertToolsUnique(tools: ToolInfo[]): void {
  const seen = new Set<string>();
  for (const tool of tools) {
    const key = toolKey(tool.server, tool.name);
    if (seen.has(key)) throw new SkillsError("INVALID_ARGUMENT", `tool ${key} is listed twice`);
    seen.add(key);
  }
}
