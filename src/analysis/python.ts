/**
 * Python usage analysis: runtime/analysis/python_usage.py parses every file with `ast` in one interpreter
 * (/usr/bin/python3 -S -I, or the configured one), with the sources on stdin. `ast` never runs the code it reads;
 * still, the interpreter gets no network, no environment and no files: the sandbox starts it as a helper
 * (src/sandbox/helperCommand.ts: its bwrap profile where the machine has it, else nobody with an empty environment).
 * A time limit ends it either way. Syntax errors come back as diagnostics with positions, never as exceptions.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CallTarget, FieldRead, RawCall, SourceAnalysis, SourceLocation, Span } from "../contracts/compat.js";
import { SkillsError } from "../errors.js";
import { type HelperCommand, helperCommand } from "../sandbox/helperCommand.js";
import { LineIndex } from "./lineIndex.js";

export interface PythonSource {
  /** Relative to the skill folder (how positions name it). */
  file: string;
  source: string;
}

export interface PythonAnalysisOptions {
  /** Default /usr/bin/python3. */
  python?: string;
  timeoutMs?: number;
}

const SCRIPT = fileURLToPath(new URL("../../runtime/analysis/python_usage.py", import.meta.url));
const MAX_OUTPUT = 256 * 1024 * 1024;
const HINT = "install python3, or name the interpreter with `python` in skills.config.json";
const GRACE_MS = 500;
let script: string | undefined;

type Pos = [number, number];
type RawSpan = [number, number, number, number];

interface PyArg {
  path: string[];
  location: Pos;
  keySpan?: RawSpan | null;
  constant: boolean;
  value?: string | number | boolean | null;
  valueSpan?: RawSpan;
}
interface PyRead {
  path: string[];
  location: Pos;
  escapes: boolean;
  key?: { span: RawSpan | null; style: "string" | "name" };
}
interface PyCall {
  target: CallTarget;
  location: Pos;
  direct: boolean;
  args: PyArg[];
  dynamicArgs: Pos | null;
  reads: PyRead[];
  callee: { name: string; location: Pos; span: RawSpan };
}
interface PyFile {
  file: string;
  diagnostics: { line: number; column: number; code: string; message: string }[];
  calls: PyCall[];
  imports: { module: string; name: string; location: Pos; span: RawSpan }[];
  opaqueModules: string[];
}

export async function analysePython(
  sources: PythonSource[],
  options: PythonAnalysisOptions = {},
): Promise<SourceAnalysis[]> {
  return (await startPythonAnalysis(sources, options)).result;
}

/**
 * Starts the analysis of every file in one interpreter and resolves once it runs (or failed to start), with the
 * promise of its answer: the caller can work on other things (TypeScript) while Python parses.
 */
export async function startPythonAnalysis(
  sources: PythonSource[],
  options: PythonAnalysisOptions = {},
): Promise<{ result: Promise<SourceAnalysis[]> }> {
  if (sources.length === 0) return { result: Promise.resolve([]) };
  script ??= readFileSync(SCRIPT, "utf8");
  const python = options.python ?? "/usr/bin/python3";
  const command = await helperCommand(python, ["-S", "-I", "-c", script], {
    purpose: "the Python usage analysis",
    hint: HINT,
  });
  const input = JSON.stringify({ files: sources });
  // run() spawns the interpreter before it returns
  const output = run(command, input, options.timeoutMs ?? 20_000);
  return { result: output.then((text) => answers(text, sources)) };
}

function answers(output: string, sources: PythonSource[]): SourceAnalysis[] {
  let parsed: { files: PyFile[] };
  try {
    parsed = JSON.parse(output) as { files: PyFile[] };
  } catch {
    throw new SkillsError("INTERNAL", "the Python usage analysis gave no readable answer");
  }
  if (!Array.isArray(parsed.files) || parsed.files.length !== sources.length) {
    throw new SkillsError("INTERNAL", "the Python usage analysis answered for other files than it was given");
  }
  return parsed.files.map((file, index) => convert(file, sources[index]!.source));
}

function run(command: HelperCommand, input: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, {
      env: command.env,
      cwd: command.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      ...(command.uid !== undefined ? { uid: command.uid, gid: command.gid } : {}),
    });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = "";
    let failed: SkillsError | undefined;
    const due = Date.now() + timeoutMs;
    const expire = () => {
      // The caller analyses TypeScript meanwhile, on this thread: if that held the event loop past the time limit,
      // the interpreter's exit may be waiting to be seen. It gets a moment before this counts as a timeout.
      if (Date.now() - due > GRACE_MS && !graced) {
        graced = true;
        timer = setTimeout(expire, GRACE_MS);
        return;
      }
      failed = new SkillsError("TIMEOUT", `the Python usage analysis took longer than ${timeoutMs} ms`, {
        hint: "a skill with very large Python files? Split them, or check `skills doctor`",
      });
      child.kill("SIGKILL");
    };
    let graced = false;
    let timer = setTimeout(expire, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) {
        failed = new SkillsError("INTERNAL", "the Python usage analysis answered too much");
        child.kill("SIGKILL");
      } else out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(
        new SkillsError(
          "SANDBOX_UNAVAILABLE",
          `cannot start ${command.file} for the Python usage analysis: ${error.message}`,
          { hint: HINT },
        ),
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (failed) reject(failed);
      else if (code !== 0) {
        reject(
          new SkillsError(
            "INTERNAL",
            `the Python usage analysis failed (exit ${code}): ${stderr.trim().split("\n").slice(-3).join(" ")}`,
          ),
        );
      } else resolve(Buffer.concat(out).toString("utf8"));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

function convert(file: PyFile, source: string): SourceAnalysis {
  const lines = new LineIndex(source);
  const loc = (pos: Pos): SourceLocation => ({ file: file.file, line: pos[0], column: pos[1] + 1 });
  const span = (raw: RawSpan): Span => [lines.offset(raw[0], raw[1]), lines.offset(raw[2], raw[3])];
  const calls: RawCall[] = file.calls.map((call) => ({
    target: call.target,
    location: loc(call.location),
    direct: call.direct,
    args: call.args.map((arg) => ({
      path: arg.path,
      location: loc(arg.location),
      ...(arg.keySpan ? { keySpan: span(arg.keySpan) } : {}),
      constant: arg.constant,
      ...(arg.constant ? { value: arg.value ?? null } : {}),
      ...(arg.valueSpan ? { valueSpan: span(arg.valueSpan) } : {}),
    })),
    ...(call.dynamicArgs ? { dynamicArgs: loc(call.dynamicArgs) } : {}),
    reads: call.reads.map(
      (read): FieldRead => ({
        path: read.path,
        location: loc(read.location),
        escapes: read.escapes,
        ...(read.key?.span ? { key: { span: span(read.key.span), style: read.key.style } } : {}),
      }),
    ),
    callee: { name: call.callee.name, location: loc(call.callee.location), span: span(call.callee.span) },
  }));
  return {
    file: file.file,
    language: "python",
    diagnostics: file.diagnostics.map((d) => ({
      file: file.file,
      line: d.line,
      column: d.column,
      severity: "error",
      code: d.code,
      message: d.message,
    })),
    calls,
    imports: file.imports.map((imp) => ({
      module: imp.module,
      name: imp.name,
      location: loc(imp.location),
      span: span(imp.span),
    })),
    opaqueModules: file.opaqueModules,
  };
}
