/**
 * `skills repl`: a session (one live sandboxed worker that keeps its namespace, like a kernel) fed with code blocks.
 * The CLI reads lines and prints; this module opens the session and decides where a block ends.
 */
import type { RunLimits, RunResult, Session } from "../contracts/run.js";
import type { SkillLanguage } from "../contracts/skill.js";
import { toolKey } from "../contracts/tools.js";
import { bracketDepth, lastExpressionAsResult } from "../core/skill/cellValue.js";
import { fromSettings, openExecution, type RunSettings } from "./shared/execution.js";

export { bracketDepth, lastExpressionAsResult };

export interface ReplOptions extends RunSettings {
  language: SkillLanguage;
  /** `server/tool` keys the code may call. */
  tools?: string[];
  allTools?: boolean;
  /** The session ends after this long without a block (default: the sandbox's own). */
  idleTimeoutMs?: number;
}

export interface ReplSession {
  language: SkillLanguage;
  tools: string[];
  warnings: string[];
  execute(code: string): Promise<RunResult>;
  close(): Promise<void>;
}

export async function openRepl(options: ReplOptions): Promise<ReplSession> {
  const execution = await openExecution({
    ...fromSettings("repl", options),
    tools: { keys: options.tools ?? [], all: options.allTools },
  });
  const limits: Partial<RunLimits> = {};
  if (options.timeoutMs !== undefined) limits.timeoutMs = options.timeoutMs;
  const start = () =>
    execution.openSession({
      language: options.language,
      limits,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
  let session: Session;
  try {
    session = start();
  } catch (error) {
    await execution.close();
    throw error;
  }
  return {
    language: options.language,
    tools: execution.tools.map((tool) => toolKey(tool.server, tool.name)),
    warnings: execution.warnings,
    async execute(code) {
      // A block that is killed (timeout, memory) or an idle timeout ends the session: go on in a fresh one, and say so.
      let restarted = false;
      if (session.closed) {
        session = start();
        restarted = true;
      }
      const run = await session.execute(options.language === "python" ? code : lastExpressionAsResult(code));
      if (!restarted) return run;
      const notice = "the previous session had ended, so this block ran in a new one: earlier variables are gone";
      return { ...run, warnings: [notice, ...(run.warnings ?? [])] };
    },
    close: async () => {
      try {
        await session.close();
      } finally {
        await execution.close();
      }
    },
  };
}

/**
 * Collects lines into blocks. A line holding only `%%` ends a block; so does an empty line, unless the block is
 * visibly unfinished (open brackets, a trailing `:` or `\` in Python, a trailing operator or comma) — the same
 * rule as Python's own prompt, so a blank line inside a `def` needs `%%` instead.
 */
export class BlockReader {
  private lines: string[] = [];

  constructor(private readonly language: SkillLanguage) {}

  /** Feeds one line (without its newline); returns a block when one is complete. */
  push(line: string): string | undefined {
    if (line.trim() === "%%") return this.take();
    if (line.trim() === "") {
      if (this.lines.length === 0) return undefined;
      if (isUnfinished(this.lines, this.language)) {
        this.lines.push(line);
        return undefined;
      }
      return this.take();
    }
    this.lines.push(line);
    return undefined;
  }

  /** Whether a block has started (the prompt shows `...` then). */
  get pending(): boolean {
    return this.lines.length > 0;
  }

  /** The rest at end of input. */
  flush(): string | undefined {
    return this.take();
  }

  private take(): string | undefined {
    const block = this.lines.join("\n").replace(/\s+$/, "");
    this.lines = [];
    return block.trim() ? `${block}\n` : undefined;
  }
}

function isUnfinished(lines: string[], language: SkillLanguage): boolean {
  const text = lines.join("\n");
  if (bracketDepth(text, language) > 0) return true;
  const lastLine = [...lines].reverse().find((line) => line.trim() !== "") ?? "";
  const last = withoutComment(lastLine, language).trimEnd();
  if (language === "python") return last.endsWith(":") || last.endsWith("\\");
  return /[,+\-*/=&|?:.([{]$/.test(last) || last.endsWith("=>");
}

/** The line without a trailing comment (outside strings). */
function withoutComment(line: string, language: SkillLanguage): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === "`") quote = char;
    else if (language === "python" ? char === "#" : char === "/" && line[i + 1] === "/") return line.slice(0, i);
  }
  return line;
}
