/**
 * The frames of the user's program in a run's traceback, for whoever shows it (the CLI's run output, execute_code's
 * answer): a Python traceback keeps the frames in the skill (/skill/...) or in the program text (<program>,
 * <cell N>) and drops the runtime's and the standard library's; a JavaScript stack drops node's internals and the
 * runtime's. The header and the exception lines always stay. What was dropped is counted, so a caller can say so.
 */

export interface ProgramFrames {
  text: string;
  /** Frames (Python) or stack lines (JavaScript) left out. */
  hidden: number;
}

const RUNTIME_JS_LINE = /node:internal|\/runtime\/|worker\.mjs|_runtime\./;
const PYTHON_FRAME = /^\s*File "([^"]+)"/;

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
      keep = file.startsWith("<") || file.startsWith("/skill/");
      if (!keep) hidden++;
    } else if (!/^\s/.test(line) || index === lines.length - 1) {
      // Unindented lines (the header, the exception) and the last line are never a frame's source line.
      keep = true;
    }
    if (keep) kept.push(line);
  }
  return { text: kept.join("\n"), hidden };
}
