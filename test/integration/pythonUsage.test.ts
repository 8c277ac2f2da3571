/**
 * The Python usage analysis through a real /usr/bin/python3 (inside bwrap when the machine has it): calls, keyword
 * arguments with literals, the result fields read, syntax errors as diagnostics, and the environment the
 * interpreter gets. Then `skills validate` reporting undeclared and unused tools with their positions.
 */
import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysePython, startPythonAnalysis } from "../../src/analysis/python.js";
import { validate } from "../../src/commands/validate.js";
import { REPO } from "../helpers/cli.js";
import { diskTmpdir } from "../helpers/tmp.js";

let work: string;

beforeAll(async () => {
  // on the disk: a sandbox runs the fake interpreter below by its host path, and hides /dev/shm
  work = await mkdtemp(join(diskTmpdir(), "skills-pyusage-"));
  await chmod(work, 0o755);
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const reads = (call: { reads: { path: string[]; escapes: boolean; location: { line: number } }[] }) =>
  call.reads.map((r) => `${r.path.join(".")}${r.escapes ? "!" : ""}@${r.location.line}`);

describe("analysePython", () => {
  it("follows calls, literals and reads through assignments, loops, comprehensions and .get()", async () => {
    const source = [
      "from servers.weather import get_forecast, get_alerts as alerts",
      "import servers.weather as w",
      "",
      "def run(input):",
      '    f = get_forecast(city=input["city"], units="imperial", days=-2, options={"deep": True})',
      '    temps = [d["high"] for d in f["daily"]]',
      '    for key, value in f.get("extra", {}).items():',
      '        print(value["x"])',
      "    n = len(alerts(state='CA')['alerts'])",
      "    if f['temp'] > 3:",
      "        pass",
      "    return w.get_forecast(**input)",
    ].join("\n");
    const [a] = await analysePython([{ file: "main.py", source }]);
    expect(a!.diagnostics).toEqual([]);
    expect(a!.imports.map((i) => [i.name, i.location.line, i.location.column])).toEqual([
      ["get_forecast", 1, 29],
      ["get_alerts", 1, 43],
    ]);
    const [forecast, alert, whole] = a!.calls;
    expect(forecast!.target).toEqual({ kind: "sdk", module: "weather", name: "get_forecast" });
    expect(
      forecast!.args.map((arg) => [arg.path.join("."), arg.constant, arg.value ?? null, arg.location.column]),
    ).toEqual([
      ["city", false, null, 22],
      ["units", true, "imperial", 42],
      ["days", true, -2, 60],
      ["options", false, null, 69],
      ["options.deep", true, true, 78],
    ]);
    // the spans point at the text --fix would replace
    expect(source.slice(...forecast!.args[1]!.keySpan!)).toBe("units");
    expect(source.slice(...forecast!.args[1]!.valueSpan!)).toBe('"imperial"');
    expect(source.slice(...forecast!.args[4]!.keySpan!)).toBe("deep");
    expect(reads(forecast!)).toEqual([
      "daily@6",
      "daily.*.high@6",
      "daily.*.high!@6",
      "extra@7",
      "extra@7",
      "extra.*.x@8",
      "extra.*.x!@8",
      "temp@10",
      "temp@10",
    ]);
    expect(alert!.callee.name).toBe("alerts");
    expect(alert!.target).toEqual({ kind: "sdk", module: "weather", name: "get_alerts" });
    expect(reads(alert!)).toEqual(["alerts@9", "alerts@9"]);
    expect(whole!.dynamicArgs).toMatchObject({ line: 12, column: 29 });
    expect(reads(whole!)).toEqual(["!@12"]);
  });

  it("gives positions in UTF-16 columns, as the host counts them", async () => {
    const source = 'from servers.w import t\n\ndef run(input):\n    x = "😀é"; r = t(a="b")\n    return r["k"]\n';
    const [a] = await analysePython([{ file: "main.py", source }]);
    const arg = a!.calls[0]!.args[0]!;
    expect(source.slice(...arg.keySpan!)).toBe("a");
    expect(arg.location).toEqual({ file: "main.py", line: 4, column: 22 });
  });

  it("returns a syntax error as a diagnostic; the other files of the batch are still analysed", async () => {
    const [bad, good] = await analysePython([
      { file: "bad.py", source: "def run(input:\n    return 1\n" },
      { file: "good.py", source: "from servers.x import y\ny(a=1)\n" },
    ]);
    expect(bad!.diagnostics).toEqual([
      expect.objectContaining({ file: "bad.py", line: 1, severity: "error", code: "SyntaxError" }),
    ]);
    expect(bad!.calls).toEqual([]);
    expect(good!.calls).toHaveLength(1);
  });

  it("answers when this thread was busy past the time limit while the interpreter ran", async () => {
    const started = await startPythonAnalysis([{ file: "a.py", source: "from servers.x import y\ny(a=1)\n" }], {
      timeoutMs: 300,
    });
    // what the TypeScript analysis does meanwhile: the event loop sees nothing until it is done
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      // busy
    }
    const [answer] = await started.result;
    expect(answer!.calls).toHaveLength(1);
  });

  it("the interpreter gets no environment of ours", async () => {
    const bin = join(work, "fake", "bin");
    await mkdir(bin, { recursive: true });
    const fake = join(bin, "python3");
    // prints what it sees and fails, so the error message carries it
    await writeFile(fake, "#!/bin/sh\necho \"ENV: $(env | cut -d= -f1 | sort | tr '\\n' ' ')\" >&2\nexit 3\n");
    await chmod(fake, 0o755);
    await chmod(join(work, "fake"), 0o755);
    process.env.SKILLS_TEST_SECRET = "s3cret";
    try {
      const error = await analysePython([{ file: "a.py", source: "x = 1\n" }], { python: fake }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toContain("the Python usage analysis failed (exit 3): ENV:");
      expect(message).not.toContain("SKILLS_TEST_SECRET");
      expect(message).not.toMatch(/NODE_|HOME|npm_/);
    } finally {
      delete process.env.SKILLS_TEST_SECRET;
    }
  });
});

describe("analysePython without bwrap", () => {
  it("still gives the interpreter no environment, and drops root to nobody", async () => {
    const bin = join(work, "fake-process", "bin");
    await mkdir(bin, { recursive: true });
    const fake = join(bin, "python3");
    await writeFile(
      fake,
      "#!/bin/sh\necho \"CWD: $(pwd) UID: $(id -u) ENV: $(env | cut -d= -f1 | sort | tr '\\n' ' ')\" >&2\nexit 3\n",
    );
    await chmod(fake, 0o755);
    await chmod(join(work, "fake-process"), 0o755);
    // isolation is detected once per process: a fresh node, on the built toolkit, with bwrap ruled out
    const script = [
      `const { analysePython } = await import(${JSON.stringify(join(REPO, "dist/analysis/python.js"))});`,
      `await analysePython([{ file: "a.py", source: "x = 1\\n" }], { python: ${JSON.stringify(fake)} })`,
      "  .then(() => console.log('no error'), (error) => console.log(error.message));",
    ].join("\n");
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, SKILLS_FORCE_ISOLATION: "process", SKILLS_TEST_SECRET: "s3cret" },
    });
    expect(child.stderr).toBe("");
    // outside bwrap (which would start it in /tmp), in /: nothing of the caller's folder
    expect(child.stdout).toContain("the Python usage analysis failed (exit 3): CWD: / UID: ");
    const uid = /UID: (\d+)/.exec(child.stdout)?.[1];
    expect(uid).toBe(process.getuid?.() === 0 ? "65534" : String(process.getuid?.()));
    expect(child.stdout).not.toContain("SKILLS_TEST_SECRET");
    expect(child.stdout).not.toMatch(/NODE_|HOME|npm_/);
  });
});

describe("skills validate: the tools the code calls", () => {
  it("reports a called but undeclared tool as an error and a declared but unused one as a warning", async () => {
    const dir = join(work, "project/skills/weather-note");
    await mkdir(dir, { recursive: true });
    await writeFile(join(work, "project/package.json"), "{}\n");
    await writeFile(
      join(dir, "SKILL.md"),
      "---\nname: weather-note\ndescription: A note. Use it in tests.\n---\n\nNote.\n",
    );
    await writeFile(
      join(dir, "manifest.yaml"),
      "name: weather-note\nversion: 1.0.0\nlanguage: python\nentry: main.py\ntools:\n  weather/get_forecast: ^1.0.0\n  weather/get_station: ^1.0.0\n",
    );
    await writeFile(
      join(dir, "main.py"),
      "from servers.weather import get_forecast, get_alerts\n\ndef run(input):\n    return [get_forecast(city='x'), get_alerts(state='CA')]\n",
    );
    const result = await validate({ paths: ["skills"], cwd: join(work, "project") });
    expect(result.ok).toBe(false);
    const skill = result.skills[0]!;
    expect(skill.errors).toEqual([
      {
        severity: "error",
        code: "TOOL_UNDECLARED",
        message: "the code calls servers.weather.get_alerts, but manifest.yaml does not declare weather/get_alerts",
        file: "skills/weather-note/main.py",
        line: 1,
        column: 43,
        pointer: "",
        hint: 'declare it under tools: in manifest.yaml (`weather/get_alerts: "*"`, or a range), or remove the call; undeclared tools are refused at run time',
      },
    ]);
    expect(skill.warnings).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "TOOL_UNUSED",
        message: "weather/get_station is declared, but the code never calls it",
        file: "skills/weather-note/manifest.yaml",
        line: 7,
        column: 3,
        pointer: "/tools/weather~1get_station",
      }),
    ]);
    // strict mode does not make advice about the code an error
    const strict = await validate({ paths: ["skills"], cwd: join(work, "project"), strict: true });
    expect(strict.skills[0]!.warnings.map((w) => w.code)).toEqual(["TOOL_UNUSED"]);
  });
});
