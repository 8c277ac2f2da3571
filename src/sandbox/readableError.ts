/**
 * A failed run's error in the user's terms. Inside the sandbox the skill is /skill, the SDK /sdk/<hash>, a program
 * without a file `<program>`, and a TypeScript program a `data:` URL of its bundle (35 KB of base64 per frame).
 * This maps every frame back: TS/JS through the bundle's source map to `skills/<name>/main.ts:line:col`, Python paths
 * to the skill folder as the user names it; and it points the error at the innermost frame of the user's own code
 * (file, line, column and the line of source).
 */
import { SourceMap, type SourceMapPayload } from "node:module";
import type { RunError } from "../contracts/run.js";

export interface ErrorDisplay {
  /** How the user names the skill folder (`skills/find-todos`); default: file names relative to it. */
  skillDir?: string;
  /** How the user names a program that is not a skill's file (an exec's `--file`); default `<program>`. */
  program?: string;
}

export interface ReadableErrorContext {
  language: "python" | "typescript" | "javascript";
  display?: ErrorDisplay;
  /** TS/JS: the bundle's source map (runtime/bundler/child.mjs names its sources). */
  sourceMap?: string;
  /** The name the program had inside the sandbox when it is not a skill file (`<program>`, `program.ts`). */
  programName?: string;
}

const DATA_URL = /data:text\/javascript;base64,[A-Za-z0-9+/=]+/g;
const DATA_FRAME = /data:text\/javascript;base64,[A-Za-z0-9+/=]+:(\d+):(\d+)/g;
/** The SDK as the program sees it: /sdk/<hash>/servers/... (Python) or, through the source map, servers/... */
const SDK_PATH = /\/sdk\/(?:[0-9a-f]+\/)?(servers\/)/g;

export function readableError(error: RunError, ctx: ReadableErrorContext): RunError {
  if (ctx.language === "python") return readablePython(error, ctx);
  return readableScript(error, ctx);
}

function joinDisplay(dir: string | undefined, file: string): string {
  return dir ? `${dir.replace(/\/+$/, "")}/${file}` : file;
}

function isSdkFile(file: string): boolean {
  return file.startsWith("servers/");
}

// --- Python ---------------------------------------------------------------------------------------------------------

function readablePython(error: RunError, ctx: ReadableErrorContext): RunError {
  const display = ctx.display ?? {};
  const program = ctx.programName ?? "<program>";
  const rename = (text: string): string => {
    let out = text.replace(SDK_PATH, "$1").replace(/"\/skill\/([^"]+)"/g, (_m, file: string) => {
      return `"${joinDisplay(display.skillDir, file)}"`;
    });
    if (display.program) out = out.split(`"${program}"`).join(JSON.stringify(display.program));
    return out;
  };
  const readable: RunError = { ...error, message: rename(error.message) };
  if (error.stack) readable.stack = rename(error.stack);
  const where = pythonLocation(readable.stack, display, program);
  return where ? { ...readable, ...where } : readable;
}

/** The innermost frame in the user's own files: the last `File "...", line N` that is not the SDK or a library. */
function pythonLocation(
  stack: string | undefined,
  display: ErrorDisplay,
  program: string,
): Pick<RunError, "file" | "line" | "column" | "source"> | undefined {
  if (!stack) return undefined;
  const lines = stack.split("\n");
  const own = (file: string) =>
    (display.skillDir !== undefined && file.startsWith(`${display.skillDir.replace(/\/+$/, "")}/`)) ||
    file === (display.program ?? program) ||
    (display.skillDir === undefined && !file.startsWith("/") && !file.startsWith("<") && !isSdkFile(file)) ||
    file.startsWith("<cell");
  let found: Pick<RunError, "file" | "line" | "column" | "source"> | undefined;
  lines.forEach((text, index) => {
    const frame = /^\s*File "([^"]+)", line (\d+)/.exec(text);
    if (!frame || !own(frame[1]!)) return;
    const next = lines[index + 1];
    const source = next !== undefined && /^\s{4,}\S/.test(next) ? next.trim() : undefined;
    // Python 3.11 marks the failing expression with ^ or ~ under the line: its first mark is the column.
    const marks = lines[index + 2];
    const column =
      source !== undefined && marks !== undefined && /^\s*[~^]+\s*$/.test(marks) && next !== undefined
        ? marks.search(/[~^]/) - next.search(/\S/) + 1
        : 1;
    found = {
      file: frame[1]!,
      line: Number(frame[2]),
      column: Math.max(1, column),
      ...(source !== undefined ? { source } : {}),
    };
  });
  return found;
}

// --- TypeScript / JavaScript ----------------------------------------------------------------------------------------

interface MappedFrame {
  file: string;
  line: number;
  column: number;
  source?: string;
}

function readableScript(error: RunError, ctx: ReadableErrorContext): RunError {
  const display = ctx.display ?? {};
  const program = ctx.programName ?? "<program>";
  const map = parseMap(ctx.sourceMap);
  const name = (source: string): string => {
    if (isSdkFile(source) || source.startsWith("/")) return source;
    if (source === program) return display.program ?? program;
    return joinDisplay(display.skillDir, source);
  };
  let first: MappedFrame | undefined;
  const mapFrame = (line: number, column: number): string => {
    const found = map ? origin(map, line, column) : undefined;
    if (!found) return `${display.program ?? program}:${line}:${column}`;
    const file = name(found.source);
    if (!first && !isSdkFile(file)) {
      const text = found.content?.split("\n")[found.line - 1];
      first = { file, line: found.line, column: found.column, ...(text !== undefined ? { source: text.trim() } : {}) };
    }
    return `${file}:${found.line}:${found.column}`;
  };
  const stack = error.stack
    ?.replace(DATA_FRAME, (_m, line: string, column: string) => mapFrame(Number(line), Number(column)))
    .replace(DATA_URL, display.program ?? program);
  const message = error.message.replace(DATA_URL, display.program ?? program);
  const readable: RunError = { ...error, message, ...(stack !== undefined ? { stack } : {}) };
  if (!first) return readable;
  return { ...readable, file: first.file, line: first.line, column: first.column, ...sourceOf(first) };
}

function sourceOf(frame: MappedFrame): Pick<RunError, "source"> {
  return frame.source !== undefined ? { source: frame.source } : {};
}

function parseMap(text: string | undefined): { map: SourceMap; contents: (string | null)[] } | undefined {
  if (!text) return undefined;
  try {
    const payload = JSON.parse(text) as SourceMapPayload & { sourcesContent?: (string | null)[] };
    return { map: new SourceMap(payload), contents: payload.sourcesContent ?? [] };
  } catch {
    return undefined;
  }
}

/** A 1-based position in the bundle -> its 1-based position in a source file (undefined when unmapped). */
function origin(
  parsed: { map: SourceMap; contents: (string | null)[] },
  line: number,
  column: number,
): { source: string; line: number; column: number; content?: string } | undefined {
  const entry = parsed.map.findEntry(line - 1, column - 1) as Partial<{
    originalSource: string;
    originalLine: number;
    originalColumn: number;
  }>;
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) {
    return undefined;
  }
  const index = parsed.map.payload.sources.indexOf(entry.originalSource);
  const content = index >= 0 ? parsed.contents[index] : undefined;
  return {
    source: entry.originalSource,
    line: entry.originalLine + 1,
    column: entry.originalColumn + 1,
    ...(content ? { content } : {}),
  };
}
