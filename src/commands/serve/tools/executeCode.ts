/**
 * execute_code: a program in a fresh sandbox from the warm pool (or a cell of a session), through the server's one
 * execution: the tool gate, the bridge, PII tokenization and the limits all apply as in `skills exec`. A failed run
 * is an `isError` answer with the error's message, line and stderr; the server itself never fails with it.
 */
import type { RunLimits, RunResult } from "../../../contracts/run.js";
import type { SkillLanguage } from "../../../contracts/skill.js";
import type { ToolInfo } from "../../../contracts/tools.js";
import { runAnswer } from "../../../core/serve/runAnswer.js";
import { lastExpressionAsResult } from "../../../core/skill/cellValue.js";
import { SkillsError } from "../../../errors.js";
import type { CallContext, ServedTool, ToolAnswer } from "../../../mcp/server/types.js";
import { pickTools } from "../pickTools.js";
import { EXECUTE_CODE } from "../definitions.js";
import type { ServeState } from "../state.js";

export const NEW_SESSION = "new";

export function executeCodeTool(state: ServeState): ServedTool {
  return {
    ...EXECUTE_CODE,
    async call(args, context) {
      const language = args.language as SkillLanguage;
      const code = args.code as string;
      const sessionId = args.session_id as string | undefined;
      const limits: Partial<RunLimits> = {};
      if (typeof args.timeout_ms === "number") limits.timeoutMs = args.timeout_ms;
      if (sessionId !== undefined && sessionId !== NEW_SESSION) {
        return executeInSession(state, sessionId, language, code, args, context);
      }
      const tools = await toolsFor(state, args.tools as string[] | undefined);
      const signal = AbortSignal.any([context.signal, state.shutdown]);
      if (sessionId === NEW_SESSION) {
        state.sessions.ensureRoom(context.connection);
        const session = state.execution.openSession({
          language,
          tools,
          limits,
          idleTimeoutMs: state.idleTimeoutMs,
          client: context.client.name,
        });
        const { entry, evicted } = state.sessions.add(session, context.connection);
        const warnings = evicted
          ? [`session ${evicted} was ended to stay within the sessions one client may keep open`]
          : [];
        return answerOf(await runCell(state, entry.session, language, code, signal), entry.id, warnings);
      }
      const run = await state.limiter.run(() =>
        state.execution.run({ language, code, tools, limits, signal, client: context.client.name }),
      );
      return answerOf(run);
    },
  };
}

async function executeInSession(
  state: ServeState,
  id: string,
  language: SkillLanguage,
  code: string,
  args: Record<string, unknown>,
  context: CallContext,
): Promise<ToolAnswer> {
  const entry = state.sessions.get(id, context.connection);
  if (entry.language !== language) {
    throw new SkillsError("INVALID_ARGUMENT", `session ${id} runs ${entry.language}, not ${language}`, {
      hint: `send ${entry.language} code to this session, or pass session_id "new" to start a ${language} one`,
    });
  }
  const warnings =
    args.tools !== undefined || args.timeout_ms !== undefined
      ? ["tools and timeout_ms are fixed when a session starts; the session's own were used"]
      : [];
  const signal = AbortSignal.any([context.signal, state.shutdown]);
  return answerOf(await runCell(state, entry.session, language, code, signal), id, warnings);
}

/** One cell; a cancelled call ends the session (its worker is the only way to stop the cell). */
async function runCell(
  state: ServeState,
  session: { execute(code: string): Promise<RunResult>; close(): Promise<void> },
  language: SkillLanguage,
  code: string,
  signal: AbortSignal,
): Promise<RunResult> {
  const stop = (): void => void session.close();
  signal.addEventListener("abort", stop, { once: true });
  try {
    if (signal.aborted) stop();
    return await state.limiter.run(() => session.execute(language === "python" ? code : lastExpressionAsResult(code)));
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

/** The tools a program may call: the keys asked for, else every tool of every server that is up. */
async function toolsFor(state: ServeState, keys: string[] | undefined): Promise<ToolInfo[]> {
  await state.live.ready;
  if (keys === undefined) return state.live.tools;
  return (await pickTools(state.live, keys)).tools;
}

function answerOf(run: RunResult, sessionId?: string, warnings: string[] = []): ToolAnswer {
  const structured = runAnswer(run, { ...(sessionId ? { session_id: sessionId } : {}), warnings });
  return { structured, ...(run.ok ? {} : { isError: true }) };
}
