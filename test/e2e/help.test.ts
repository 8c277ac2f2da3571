/**
 * `--help` of the built binary: every command and every option, each once; and what a start loads, measured with a
 * module-loading hook. bin/skills.js starts a command from its program (dist/bundle/programs/, one file each) and
 * --help, --version and `skills help` from the split bundle (dist/bundle/cli/main.js and a few shared chunks), which
 * loads only the CLI's own wiring: no handler, no ajv, yaml, MCP SDK or esbuild.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { GLOBAL_OPTIONS } from "../../src/cli/options.js";
import { CLI, type CliResult, REPO, skillsSync } from "../helpers/cli.js";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "skills-help-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const nameOf = (command: string) => command.split(" ")[0]!;

/**
 * A help text (or a usage error) is the same at every start: each distinct command line runs the binary once, and
 * the tests that compare or re-read one get that run's output.
 */
const runs = new Map<string, CliResult>();
function skills(args: string[]): CliResult {
  const key = JSON.stringify(args);
  let result = runs.get(key);
  if (!result) {
    result = skillsSync(args, { cwd: scratch });
    runs.set(key, result);
  }
  return result;
}

/** Lines of the Options: section, as `--flag <arg>`. */
function optionLines(help: string): string[] {
  const section = help.split("\nOptions:\n")[1]?.split("\n\n")[0] ?? "";
  return section
    .split("\n")
    .map((line) => /^\s+((?:-\w, )?--[\w-]+(?: <[^>]+>)?)/.exec(line)?.[1])
    .filter((flag): flag is string => flag !== undefined);
}

describe("--help", () => {
  it("skills --help lists every command once, and the global options once", () => {
    const { code, stdout } = skills(["--help"]);
    expect(code).toBe(0);
    for (const spec of COMMANDS) {
      expect(stdout.split("\n").filter((line) => line.startsWith(`  ${spec.command} `))).toHaveLength(1);
    }
    expect(optionLines(stdout)).toEqual([...GLOBAL_OPTIONS.map((o) => o.flags), "-h, --help", "-v, --version"]);
  });

  it.each(COMMANDS.map((spec) => [nameOf(spec.command), spec] as const))(
    "skills %s --help lists each of its options once, then the global ones",
    (name, spec) => {
      const { code, stdout } = skills([name, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toContain(`$ skills ${spec.usage ?? spec.command}`);
      expect(optionLines(stdout)).toEqual([
        ...spec.options.map((o) => o.flags),
        ...GLOBAL_OPTIONS.map((o) => o.flags),
        "-h, --help",
      ]);
      for (const option of spec.options) expect(stdout).toContain(option.description);
    },
  );
});

describe("skills help, and mistakes in a command line", () => {
  it("skills help is skills --help; skills help <command> is skills <command> --help", () => {
    expect(skills(["help"])).toEqual(skills(["--help"]));
    for (const spec of COMMANDS) {
      const name = nameOf(spec.command);
      const help = skills(["help", name]);
      expect(help.code).toBe(0);
      expect(help).toEqual(skills([name, "--help"]));
    }
    expect(skills(["--help"]).stdout).toMatch(/^ {2}help \[command\] +Show this help/m);
  });

  it("--help after a command's arguments is that command's help: exit 0, nothing else", () => {
    expect(skills(["run", "summarize-directory", "--help"])).toEqual({ ...skills(["run", "--help"]), stderr: "" });
    expect(skills(["exec", "main.py", "--lang", "python", "-h"])).toEqual({
      ...skills(["exec", "--help"]),
      stderr: "",
    });
    // An unknown command is still one, with or without --help.
    expect(skills(["frobnicate", "x", "--help"])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown command: frobnicate/),
    });
  });

  it("help reads cleanly: no (default: true) after --no-color, no trailing spaces, examples as commands", () => {
    for (const args of [["--help"], ["validate", "--help"], ["run", "--help"]]) {
      const { stdout } = skills(args);
      expect(stdout).toMatch(/^ {2}--no-color +Disable colours \(NO_COLOR is honoured too\)$/m);
      expect(stdout).not.toContain("(default: true)");
      expect(stdout.split("\n").filter((line) => line !== line.trimEnd())).toEqual([]);
    }
    expect(skills(["validate", "--help"]).stdout).toContain("Examples:\n  $ skills validate\n");
  });

  it.each([
    [["valdate"], "unknown command: valdate", "did you mean `skills validate`?"],
    [["help", "tset"], "unknown command: tset", "did you mean `skills test`?"],
    [["frobnicate"], "unknown command: frobnicate", "run `skills help` to see the commands"],
    [["validate", "--strct"], "unknown option --strct for skills validate", "did you mean --strict?"],
    [["test", "--reccord"], "unknown option --reccord for skills test", "did you mean --record?"],
    [
      ["run", "x", "--require-isolaton"],
      "unknown option --require-isolaton for skills run",
      "did you mean --require-isolation?",
    ],
    [["run", "x", "--jsn"], "unknown option --jsn for skills run", "did you mean --json?"],
    [["--jsn"], "unknown option --jsn for skills", "did you mean --json?"],
    [
      ["list", "--frobnicate"],
      "unknown option --frobnicate for skills list",
      "run `skills help list` to see its options",
    ],
  ])("skills %j: exit 2, %s, %s", (args, message, hint) => {
    const { code, stdout, stderr } = skills(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`error USAGE  ${message}\n  hint: ${hint}\n`);
  });

  it.each([["run", "summarize-directory"], ["--version"], ["--json", "list"]])(
    "skills %j in a folder that was removed: exit 2 and what to do, no stack trace",
    async (...args) => {
      const gone = join(scratch, `gone-${args.length}-${args[0]}`);
      await mkdir(gone);
      // The shell enters the folder and removes it, then runs the CLI there.
      const run = spawnSync(
        "sh",
        ["-c", 'cd "$1" && rmdir "$1" && shift && exec "$@"', "sh", gone, process.execPath, CLI, ...args],
        {
          encoding: "utf8",
          env: { ...process.env, NO_COLOR: "1" },
        },
      );
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
        status: 2,
        stdout: "",
        stderr: "skills: the current folder cannot be read (ENOENT): cd to a folder that exists\n",
      });
    },
  );
});

describe("start-up", () => {
  const loadedBy = async (args: string[], cwd = scratch) => {
    const file = join(scratch, `loaded-${args[0]}-${args.length}.txt`);
    const run = spawnSync(process.execPath, ["--import", join(REPO, "test/helpers/loadedModules.mjs"), CLI, ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, LOADED_MODULES_FILE: file, NODE_EXTRA_CA_CERTS: undefined },
    });
    expect(run.status).toBe(0);
    return (await readFile(file, "utf8")).trim().split("\n");
  };

  /**
   * The packages whose code a process ran: loaded from node_modules, or bundled into a chunk it loaded (esbuild
   * starts each bundled module with a `// node_modules/<package>/<file>` comment).
   */
  const packagesIn = async (files: string[]) => {
    const packages = new Set<string>();
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//g;
    for (const file of files) {
      for (const match of file.matchAll(name)) packages.add(match[1]!);
      if (!file.startsWith(join(REPO, "dist/bundle/"))) continue;
      for (const match of (await readFile(file, "utf8")).matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) {
        packages.add(match[1]!);
      }
    }
    return [...packages].sort();
  };

  it.each([["--help"], ["--version"], ["help", "run"]])(
    "skills %s loads the CLI wiring and cac only",
    async (...args) => {
      const files = await loadedBy(args);
      expect(await packagesIn(files)).toEqual(["cac"]);
      const own = files.filter((f) => f.startsWith(join(REPO, "dist/"))).map((f) => f.slice(REPO.length + 1));
      // The bundle's entry and the chunks of code it shares with the handlers; never a handler, never dist/ itself.
      expect(own).toContain("dist/bundle/cli/main.js");
      expect(own.filter((f) => f !== "dist/bundle/cli/main.js" && !f.startsWith("dist/bundle/chunks/"))).toEqual([]);
      expect(own.length).toBeLessThanOrEqual(6);
    },
  );

  /**
   * A command starts from its program (dist/bundle/programs/<command>.cjs), which src/cli/program.ts compiles itself:
   * the hook sees the loader, and whatever the program loads besides (a package, the vendored MCP SDK).
   */
  it.each([
    ["run", "--help"],
    ["exec", "--lang", "python", "--code", "result = 1", "--json"],
    ["list", "--json"],
  ])("skills %s starts from its program and loads no package, no chunk and no handler of the CLI", async (...args) => {
    const files = await loadedBy(args);
    const own = files.filter((f) => f.startsWith(join(REPO, "dist/"))).map((f) => f.slice(REPO.length + 1));
    expect(own.filter((f) => !f.startsWith("dist/core/schema/precompiled/"))).toEqual(["dist/bundle/start.cjs"]);
    expect(files.filter((f) => f.includes("/node_modules/") && !f.includes("/node_modules/ajv/dist/runtime/"))).toEqual(
      [],
    );
  });

  it("an option before the command starts the split CLI, which loads that command's handler only", async () => {
    const files = await loadedBy(["--json", "list"]);
    expect(files).toContain(join(REPO, "dist/bundle/cli/handlers/list.js"));
    expect(files.filter((f) => f.includes("/cli/handlers/") && !f.endsWith("/list.js"))).toEqual([]);
    expect(files.filter((f) => f.includes("/dist/bundle/programs/"))).toEqual([]);
  });

  it("a run carries the MCP SDK in its program: no SDK, zod, yaml or git from node_modules, no file of the split CLI", async () => {
    const input = '{"path": "skills/find-todos/tests/fixture"}';
    const files = await loadedBy(["run", "summarize-directory", "--input", input, "--json"], REPO);
    const program = await readFile(join(REPO, "dist/bundle/programs/run.cjs"), "utf8");
    expect(program).toMatch(/^\/\/ node_modules\/@modelcontextprotocol\/sdk\/dist\/esm\/client\/index\.js$/m);
    expect(files.filter((f) => /\/node_modules\/(@modelcontextprotocol\/sdk|zod|yaml|simple-git)\//.test(f))).toEqual(
      [],
    );
    // The programs themselves are compiled by start.cjs, not loaded as modules; the run's program takes the modules
    // its lead shares from the lead, through require().
    expect(files.filter((f) => f.startsWith(join(REPO, "dist/bundle/")))).toEqual([
      join(REPO, "dist/bundle/programs/run.lead.cjs"),
      join(REPO, "dist/bundle/start.cjs"),
    ]);
  });

  /**
   * What a start compiled and spawned, in order (test/helpers/startOrder.cjs). `tmp`: the CLI's temp folder, and so
   * its code cache and start plans (src/cli/startPlan.ts); by default the user's, where a plan may be waiting.
   */
  const startOrder = (args: string[], cli = CLI, tmp?: string) => {
    const file = join(scratch, `order-${args.length}-${Math.random().toString(36).slice(2)}.txt`);
    const run = spawnSync(process.execPath, ["--require", join(REPO, "test/helpers/startOrder.cjs"), cli, ...args], {
      cwd: REPO,
      encoding: "utf8",
      env: {
        ...process.env,
        START_ORDER_FILE: file,
        NODE_EXTRA_CA_CERTS: undefined,
        NO_COLOR: "1",
        ...(tmp !== undefined ? { TMPDIR: tmp } : {}),
      },
    });
    const events = readFileSync(file, "utf8").trim().split("\n");
    // Spawns other than the skill's servers (the sandbox, git) are left out.
    return { run, events: events.filter((event) => /^compile |^spawn \S*mcp-server-/.test(event)) };
  };

  /** A temp folder of the CLI's own (mode 0700, as its code cache folder's parent may be): no plan in it yet. */
  const freshTmp = async (name: string): Promise<string> => {
    const dir = join(scratch, name);
    await mkdir(dir, { mode: 0o700 });
    return dir;
  };

  it("a run starts its skill's server from the program's lead, before the rest of the program loads", async () => {
    const input = '{"path": "skills/find-todos/tests/fixture"}';
    const tmp = await freshTmp("tmp-lead-order");
    const { run, events } = startOrder(["run", "summarize-directory", "--input", input, "--json"], CLI, tmp);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      run: { ok: true, result: { files: 2, directories: 1, total_bytes: 351 } },
    });
    expect(events).toEqual([
      `compile ${join(REPO, "dist/bundle/programs/run.lead.cjs")}`,
      `spawn ${join(REPO, "node_modules/.bin/mcp-server-filesystem")} ${REPO}`,
      `compile ${join(REPO, "dist/bundle/programs/run.cjs")}`,
    ]);
  });

  it("the next run of the same command line spawns the server from its start plan, before the lead loads", async () => {
    const args = ["run", "summarize-directory", "--input", '{"path": "skills/find-todos/tests/fixture"}', "--json"];
    const tmp = await freshTmp("tmp-plan-order");
    const spawn = `spawn ${join(REPO, "node_modules/.bin/mcp-server-filesystem")} ${REPO}`;
    const lead = `compile ${join(REPO, "dist/bundle/programs/run.lead.cjs")}`;
    const program = `compile ${join(REPO, "dist/bundle/programs/run.cjs")}`;
    expect(startOrder(args, CLI, tmp).events).toEqual([lead, spawn, program]);
    const { run, events } = startOrder(args, CLI, tmp);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, run: { ok: true, result: { files: 2 } } });
    // Spawned once: the lead takes the plan's process over.
    expect(events).toEqual([spawn, lead, program]);
  });

  /**
   * An install in scratch/<name>: bin/ copied, the rest links to this repository's. With `own` (a path under dist/),
   * dist/ and the folders above that entry are folders of links to the build's entries, and that entry is left out
   * ("missing") or a copy of its own ("copied").
   */
  const linkedInstall = async (name: string, own?: { path: string; as: "missing" | "copied" }): Promise<string> => {
    const install = join(scratch, name);
    await mkdir(install);
    cpSync(join(REPO, "bin"), join(install, "bin"), { recursive: true });
    for (const entry of ["runtime", "schemas", "templates", "node_modules", "package.json"]) {
      symlinkSync(join(REPO, entry), join(install, entry));
    }
    if (own === undefined) symlinkSync(join(REPO, "dist"), join(install, "dist"));
    else {
      const parts = own.path.split("/");
      for (let depth = 0; depth < parts.length; depth++) {
        const folder = join("dist", ...parts.slice(0, depth));
        mkdirSync(join(install, folder));
        for (const entry of readdirSync(join(REPO, folder))) {
          if (entry !== parts[depth]) symlinkSync(join(REPO, folder, entry), join(install, folder, entry));
        }
      }
      if (own.as === "copied")
        cpSync(join(REPO, "dist", own.path), join(install, "dist", own.path), { recursive: true });
    }
    return install;
  };
  /** The quick start from `install`'s bin/skills.js, which must succeed; what it compiled and spawned, in order. */
  const quickStartFrom = (install: string, tmp?: string): string[] => {
    const input = '{"path": "skills/find-todos/tests/fixture"}';
    const { run, events } = startOrder(
      ["run", "summarize-directory", "--input", input, "--json"],
      join(install, "bin/skills.js"),
      tmp,
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, run: { ok: true, result: { files: 2 } } });
    return events;
  };

  it("a run from an install whose dist/ is a symlink spawns its skill's server once, from the lead", async () => {
    // node's require() keys a module by its real path: the program must still find the lead's instance of the early
    // transports, or it spawns a second copy of every server and the lead's copy is ended unused.
    const install = await linkedInstall("linked-install");
    expect(quickStartFrom(install, await freshTmp("tmp-linked-install"))).toEqual([
      `compile ${join(install, "dist/bundle/programs/run.lead.cjs")}`,
      `spawn ${join(REPO, "node_modules/.bin/mcp-server-filesystem")} ${REPO}`,
      `compile ${join(install, "dist/bundle/programs/run.cjs")}`,
    ]);
  });

  it("a run from an install missing the lead its program needs starts from the split bundle, the server spawned once", async () => {
    // run.cjs takes modules from run.lead.cjs, so without it the program cannot run, and bin/skills.js starts the
    // command as it does without a program.
    const install = await linkedInstall("leadless-install", { path: "bundle/programs/run.lead.cjs", as: "missing" });
    expect(quickStartFrom(install)).toEqual([`spawn ${join(REPO, "node_modules/.bin/mcp-server-filesystem")} ${REPO}`]);
  });

  it.each([
    [["run", "summarize-directory", "--inptu", "{}"], 2],
    [["run", "summarize-directory", "--input", "{not json"], 2],
    [["run", "summarize-directory", "--input"], 2],
    [["run", "summarize-directory", "--help"], 0],
    [["run", "no-such-skill"], 2],
  ])("skills %j starts no server, from the lead or later (exit %i)", (args, code) => {
    const { run, events } = startOrder(args);
    expect(run.status).toBe(code);
    expect(events.filter((event) => event.startsWith("spawn "))).toEqual([]);
  });

  it("an exec with tools loads the vendored MCP SDK from the code cache's second start on", async () => {
    const tmp = join(scratch, "tmp-tools");
    await mkdir(tmp, { mode: 0o700 });
    const code = "from servers.everything import get_sum\nresult = get_sum(a=1, b=2)";
    const args = ["exec", "--lang", "python", "--tools", "everything/get-sum", "--code", code, "--json"];
    // The programs are this install's own copies: a cache is keyed by its program's inode change time, which other
    // files' hard-link copies of this repository's dist/ (test/helpers/packageCopy.ts) change meanwhile.
    const install = await linkedInstall("cached-install", { path: "bundle/programs", as: "copied" });
    // The first start writes the program's code cache; the second runs from it (src/cli/program.ts), and code
    // compiled from the cache must still load what the program loads when it needs it.
    for (const round of [1, 2]) {
      const run = spawnSync(process.execPath, [join(install, "bin/skills.js"), ...args], {
        cwd: REPO,
        encoding: "utf8",
        env: { ...process.env, TMPDIR: tmp, NODE_EXTRA_CA_CERTS: undefined, NO_COLOR: "1" },
      });
      expect({ round, status: run.status, stderr: run.stderr }).toEqual({ round, status: 0, stderr: "" });
      expect(JSON.parse(run.stdout)).toMatchObject({
        run: { ok: true, result: [{ type: "text", text: "The sum of 1 and 2 is 3." }] },
      });
      expect(
        (await readdir(join(tmp, `skills-code-cache-${process.getuid!()}`))).filter((f) => f.endsWith(".v8")),
      ).toHaveLength(1);
    }
  });
});
