/**
 * Test helpers for generated SDK trees: write, compile (tsc --strict, py_compile), structural checks that nothing a
 * server sent became code, and fake runtimes that record what reaches call_tool / callTool.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import ts from "typescript";
import type { GeneratedFile } from "../../../src/core/codegen/index.js";
import type { ToolInfo } from "../../../src/contracts/tools.js";
import { PYTHON } from "../../helpers/python.js";

const run = promisify(execFile);
export const REPO = resolve(import.meta.dirname, "..", "..", "..");

export const FAKE_RUNTIME = {
  python: `"""Fake runtime for tests: records calls."""
CALLS = []


def call_tool(server, tool, args):
    CALLS.append({"server": server, "tool": tool, "args": args})
    return {"server": server, "tool": tool, "args": args}


async def call_tool_async(server, tool, args):
    return call_tool(server, tool, args)
`,
  ts: `/** Fake runtime for tests: records calls. */
export const calls: { server: string; tool: string; args: Record<string, unknown> }[] = [];

export async function callTool(server: string, tool: string, args: Record<string, unknown>): Promise<unknown> {
  calls.push({ server, tool, args });
  return { server, tool, args };
}
`,
};

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `skills-${prefix}-`));
}

export async function writeFiles(dir: string, files: GeneratedFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.content);
  }
}

export async function listFiles(dir: string, ext: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(ext))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The declaration files every compile reads (lib.*.d.ts, @types/node), parsed once per test process: they are most
 * of a small compile's time, and a source file is the same whichever program reads it. Keyed by the options that
 * change how a file is parsed.
 */
const libFiles = new Map<string, ts.SourceFile | undefined>();

/** `tsc -p dir` run through the compiler API in this process; returns its diagnostics as tsc prints them. */
function compileProject(dir: string): string {
  const format: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => dir,
    getNewLine: () => "\n",
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => undefined,
  });
  if (!parsed) return `cannot read ${join(dir, "tsconfig.json")}`;
  if (parsed.errors.length > 0) return ts.formatDiagnostics(parsed.errors, format);
  const host = ts.createCompilerHost(parsed.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.includes("/node_modules/")) return read(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    if (!libFiles.has(key)) libFiles.set(key, read(fileName, languageVersion, onError, shouldCreate));
    return libFiles.get(key);
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  return ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), format);
}

/**
 * `tsc --noEmit --strict` over every .ts under dir; returns tsc's output ("" when clean). The compiler runs in this
 * process (the same compiler and tsconfig.json as `tsc -p dir`): a tsc process per tree spent seconds re-reading
 * the same declaration files.
 */
export async function compileTs(dir: string): Promise<string> {
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitReturns: true,
      exactOptionalPropertyTypes: false,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [join(REPO, "node_modules", "@types")],
    },
    include: ["**/*.ts"],
  };
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify(config));
  return compileProject(dir);
}

/** `python3 -m py_compile` on every .py under dir; returns its stderr ("" when clean). */
export async function compilePython(dir: string): Promise<string> {
  const files = await listFiles(dir, ".py");
  try {
    await run(PYTHON, ["-m", "py_compile", ...files], { cwd: dir });
    return "";
  } catch (error) {
    return (error as { stderr?: string }).stderr ?? String(error);
  }
}

/** Runs Python code with `dir` on sys.path; returns the JSON it prints. */
export async function runPython(dir: string, code: string): Promise<unknown> {
  const { stdout } = await run(
    PYTHON,
    ["-I", "-c", `import sys; sys.path.insert(0, ${JSON.stringify(dir)})\n${code}`],
    {
      cwd: dir,
    },
  );
  return JSON.parse(stdout);
}

/** Bundles `code` (an ES module that may import ./servers/...) with esbuild inside dir, runs it, parses its JSON. */
export async function runTs(dir: string, code: string): Promise<unknown> {
  const entry = join(dir, "entry.ts");
  await writeFile(entry, code);
  const outfile = join(dir, "entry.mjs");
  await build({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm", logLevel: "silent" });
  const { stdout } = await run(process.execPath, [outfile], { cwd: dir });
  return JSON.parse(stdout);
}

/**
 * Python structural check: every generated module holds only a docstring, imports, `__all__`, TypedDicts, type
 * aliases and wrappers whose body is a docstring and `return _call_tool(...)`. Returns the violations.
 */
export async function checkPythonStructure(dir: string): Promise<string[]> {
  const script = `
import ast, json, pathlib, sys
root = pathlib.Path(sys.argv[1])
problems = []
ALLOWED_CALLS = {"TypedDict", "_call_tool", "items", "cast"}
for path in sorted(root.rglob("*.py")):
    if path.name == "_runtime.py":
        continue
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for index, node in enumerate(tree.body):
        ok = False
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            ok = index == 0
        elif isinstance(node, ast.ImportFrom):
            ok = node.module == "typing" or node.level >= 1
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            ok = True
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            ok = ast.unparse(node.annotation) == "TypeAlias"
        elif isinstance(node, ast.ClassDef):
            ok = [ast.unparse(b) for b in node.bases] == ["TypedDict"] and all(
                isinstance(s, ast.AnnAssign) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in node.body)
        elif isinstance(node, ast.FunctionDef):
            body = node.body
            ok = len(body) == 2 and isinstance(body[0], ast.Expr) and isinstance(body[1], ast.Return) and not node.decorator_list
        if not ok:
            problems.append(f"{path.relative_to(root)}:{node.lineno}: unexpected {type(node).__name__}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else "?"
            if name not in ALLOWED_CALLS:
                problems.append(f"{path.relative_to(root)}:{node.lineno}: unexpected call {name}")
print(json.dumps(problems))
`;
  const { stdout } = await run(PYTHON, ["-I", "-c", script, dir]);
  return JSON.parse(stdout) as string[];
}

const TS_ALLOWED_CALLS = new Set(["callTool", "_compact", "fromEntries", "entries", "filter"]);

/** TS structural check: only imports/exports, interfaces, type aliases and the wrapper + helper functions. */
export async function checkTsStructure(dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const path of await listFiles(dir, ".ts")) {
    if (path.endsWith("_runtime.ts") || path.endsWith("entry.ts")) continue;
    const source = ts.createSourceFile(path, await readFile(path, "utf8"), ts.ScriptTarget.ES2022, true);
    const where = (node: ts.Node) =>
      `${path.slice(dir.length + 1)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    for (const statement of source.statements) {
      const ok =
        ts.isImportDeclaration(statement) ||
        ts.isExportDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isFunctionDeclaration(statement);
      if (!ok) problems.push(`${where(statement)}: unexpected ${ts.SyntaxKind[statement.kind]}`);
    }
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee)
          ? callee.text
          : ts.isPropertyAccessExpression(callee)
            ? callee.name.text
            : "?";
        if (!TS_ALLOWED_CALLS.has(name)) problems.push(`${where(node)}: unexpected call ${name}`);
      }
      if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        problems.push(`${where(node)}: template literal`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return problems;
}

/** Tools of a connected SDK Client, as the catalog would store them. */
export function toToolInfos(
  server: string,
  serverInfo: { name: string; version: string },
  tools: { name: string; [key: string]: unknown }[],
): ToolInfo[] {
  return tools.map((tool) => ({ ...(tool as unknown as ToolInfo), server, serverInfo }));
}

let mypyFound: boolean | undefined;

/** Whether `mypy` is on PATH (Debian: the `mypy` package); when it is not, says so once, for the tests that skip. */
export function hasMypy(): boolean {
  if (mypyFound === undefined) {
    mypyFound = spawnSync("mypy", ["--version"], { encoding: "utf8" }).status === 0;
    if (!mypyFound) {
      console.warn("mypy is not installed (Debian: apt-get install mypy): the mypy --strict checks of the SDK skip");
    }
  }
  return mypyFound;
}

/**
 * mypy's cache, one per test worker for the whole run (under the run's state folder, test/globalSetup.ts): the
 * standard library's stubs are analysed once instead of at every check, a second of CPU each. The trees checked are
 * re-analysed whenever their files differ, as mypy checks each cached module against its source.
 */
const MYPY_CACHE = join(
  process.env.SKILLS_CACHE_DIR ?? join(tmpdir(), "skills-test-cache"),
  `mypy-${process.env.VITEST_POOL_ID ?? process.pid}`,
);

/** `mypy --strict` over `files` (relative to dir); returns its output, "" when clean. */
export async function typecheckPython(dir: string, files: string[]): Promise<string> {
  try {
    await run("mypy", ["--strict", "--no-color-output", "--no-error-summary", "--python-version", "3.11", ...files], {
      cwd: dir,
      env: { ...process.env, MYPY_CACHE_DIR: MYPY_CACHE },
    });
    return "";
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return `${failure.stdout ?? ""}${failure.stderr ?? ""}` || String(error);
  }
}
