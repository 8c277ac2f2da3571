/**
 * The frames of the user's program in a run's traceback, for whoever shows it (the CLI's run output, execute_code's
 * answer): a Python traceback keeps the frames in the skill (skills/<name>/..., /skill/...) or in the program text
 * (<program>, <cell N>, an exec's file) and drops the runtime's, the generated SDK's and the standard library's; a
 * JavaScript stack drops node's internals, the runtime's and the SDK's. The header and the exception lines always
 * stay. What was dropped is counted, so a caller can say so.
 */

export interface ProgramFrames {
  text: string;
  /** Frames (Python) or stack lines (JavaScript) left out. */
  hidden: number;
}

const RUNTIME_JS_LINE = /node:internal|\/runtime\/|worker\.mjs|_runtime\.|\(servers\/|at servers\//;
const PYTHON_FRAME = /^\s*File "([^"]+)"/;

/** Files of the runtime, the generated SDK and the standard library (a traceback names the user's as they do). */
function libraryFile(file: string): boolean {
  return (
    file.startsWith("servers/") ||
    file.startsWith("/usr/") ||
    file.startsWith("/lib") ||
    file.startsWith("/sdk/") ||
    file.startsWith("<frozen") ||
    /(^|\/)(_runtime|_worker|worker)\.py$/.test(file)
  );
}

export function programFrames(stack: string): ProgramFrames {
  const lines = stack.replace(/\n$/, "").split("\n");
  if (!lines.some((line) => PYTHON_FRAME.test(line))) {
    const kept = lines.filter((line) => !RUNTIME_JS_LINE.test(line));
    return { text: kept.join("\n"), hidden: lines.length - kept.length };
  }
  const kept: string[] = [];
  let hidden = 0;
  let keep = true;
  for (const [index, line] of lines.entries()) {
    const frame = PYTHON_FRAME.exec(line);
    if (frame) {
      const file = frame[1] as string;
      keep = !libraryFile(file);
      if (!keep) hidden++;
    } else if (!/^\s/.test(line) || index === lines.length - 1) {
      // Unindented lines (the header, the exception) and the last line are never a frame's source line.
      keep = true;
    }
    if (keep) kept.push(line);
  }
  return { text: kept.join("\n"), hidden };
}
