/**
 * What a start plan goes by (src/store/observedFiles.ts) and when a plan is current (src/cli/startPlan.ts), on real
 * files in a temp folder; and that a plan's processes the lead did not take over are ended.
 */
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { link, mkdir, mkdtemp, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  currentPlan,
  leadSignature,
  planArgv,
  planText,
  type StartPlan,
  startPlanned,
} from "../../../src/cli/startPlan.js";
import { liveProcessGroups } from "../../../src/mcp/pool/processRegistry.js";
import {
  fileSignature,
  lookAgain,
  noteExists,
  noteKind,
  noteRead,
  observe,
  observedEnv,
} from "../../../src/store/observedFiles.js";
import { readTextObserved } from "../../../src/store/observedFiles.js";
import { survivors } from "../../helpers/processes.js";

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-start-plan-"));
  file = join(dir, "manifest.yaml");
  await writeFile(file, "tools: {}\n");
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("file signatures", () => {
  it("a missing path, and a path through a file, read as missing", () => {
    expect(fileSignature(join(dir, "none"))).toBe("-");
    expect(fileSignature(join(file, "below"))).toBe("-");
  });

  it("an edit changes a file's signature; a hard link made and removed (as a run's stage does) does not", async () => {
    const before = fileSignature(file);
    expect(before).toMatch(/^f:/);
    await link(file, `${file}.staged`);
    await unlink(`${file}.staged`);
    expect(fileSignature(file)).toBe(before);
    await writeFile(file, "tools: { a/b: '*' }\n");
    expect(fileSignature(file)).not.toBe(before);
  });

  it("a folder and a file differ", () => {
    expect(fileSignature(dir)).toMatch(/^d:/);
  });
});

describe("observe", () => {
  it("records the variables read, with their values, and nothing outside the observed work", async () => {
    const env = { SKILLS_RUN_LOG: "off", HOME: "/home/someone" } as NodeJS.ProcessEnv;
    expect(observedEnv(env)).toBe(env);
    const { seen } = await observe(async () => {
      const watched = observedEnv(env);
      return [watched.SKILLS_RUN_LOG, watched.SKILLS_CACHE_DIR, "SKILLS_X" in watched];
    });
    expect([...seen.env]).toEqual([
      ["SKILLS_RUN_LOG", "off"],
      ["SKILLS_CACHE_DIR", null],
      ["SKILLS_X", null],
    ]);
    expect(seen.unrepeatable).toBeUndefined();
  });

  it("a variable read for whether it is set keeps no value: set and not empty, or not", async () => {
    const env = { TOKEN: "secret-value", EMPTY: "" } as NodeJS.ProcessEnv;
    const { seen } = await observe(async () => {
      const watched = observedEnv(env, "presence");
      return [watched.TOKEN, watched.EMPTY, watched.UNSET];
    });
    expect([...seen.present]).toEqual([
      ["TOKEN", true],
      ["EMPTY", false],
      ["UNSET", false],
    ]);
    expect([...seen.env]).toEqual([]);
    expect(JSON.stringify([...seen.present])).not.toContain("secret-value");
  });

  it("listing the environment, or a path found two ways, makes the work unrepeatable", async () => {
    const listed = await observe(async () => Object.keys(observedEnv({ A: "1" })));
    expect(listed.seen.unrepeatable).toBe("it listed the environment");
    const changed = await observe(async () => {
      noteKind(file, await stat(file));
      noteKind(file, undefined);
    });
    expect(changed.seen.unrepeatable).toBe(`${file} changed while it was read`);
  });

  it("keeps one look per path and level, each at the level it was made", async () => {
    const { seen } = await observe(async () => {
      const stats = await stat(file);
      noteExists(dir, await stat(dir));
      noteKind(file, stats);
      noteKind(file, stats);
      await readTextObserved(file);
      noteExists(join(dir, "none"), undefined);
    });
    expect(seen.files.map(([path, found]) => [path, found.replace(/:.*#/, ":…#")])).toEqual([
      [dir, "e"],
      [file, "f"],
      [file, expect.stringMatching(/^f:…#[0-9a-z]+$/)],
      [join(dir, "none"), "-"],
    ]);
    expect(seen.unrepeatable).toBeUndefined();
  });
});

describe("lookAgain", () => {
  const looked = async (work: () => Promise<unknown>) => (await observe(work)).seen.files;

  it("a marker that exists still does when its folder's times change (as .git's do with each commit)", async () => {
    const marker = join(dir, ".git");
    await mkdir(marker, { recursive: true });
    const [[path, found]] = (await looked(async () => noteExists(marker, await stat(marker)))) as [[string, string]];
    await writeFile(join(marker, "index"), "changed");
    expect(lookAgain(path, found)).toBe("e");
    await rm(marker, { recursive: true });
    expect(lookAgain(path, found)).toBe("-");
  });

  it("a file looked at for its kind stays a file when edited; a folder in its place does not", async () => {
    const skillMd = join(dir, "SKILL.md");
    await writeFile(skillMd, "one\n");
    const [[path, found]] = (await looked(async () => noteKind(skillMd, await stat(skillMd)))) as [[string, string]];
    await writeFile(skillMd, "two, longer\n");
    expect(lookAgain(path, found)).toBe(found);
    await rm(skillMd);
    await mkdir(skillMd);
    expect(lookAgain(path, found)).toBe("d");
    await rm(skillMd, { recursive: true });
  });

  it("a file read: an edit that keeps its size and time is still seen (cp -p), a link made and removed is not", async () => {
    const config = join(dir, ".mcp.json");
    await writeFile(config, '{"args": ["variant-A"]}');
    const [[path, found]] = (await looked(() => readTextObserved(config))) as [[string, string]];
    await link(config, `${config}.staged`);
    await unlink(`${config}.staged`);
    expect(lookAgain(path, found)).toBe(found);
    execFileSync("cp", ["-p", config, `${config}.times`]);
    await writeFile(config, '{"args": ["variant-B"]}');
    // The old times to the nanosecond, as cp -p keeps them (utimes from node rounds them).
    execFileSync("touch", ["-r", `${config}.times`, config]);
    expect(fileSignature(config)).toBe(found.slice(0, found.indexOf("#")));
    expect(lookAgain(path, found)).not.toBe(found);
  });

  it("a read noted with its text matches only that text", async () => {
    const stats = await stat(file);
    const { seen } = await observe(async () => noteRead(file, stats, "not what the file holds"));
    const [[path, found]] = seen.files as [[string, string]];
    expect(lookAgain(path, found)).not.toBe(found);
  });
});

describe("currentPlan", () => {
  const argv = ["run", "forecast", "--input", "{}"];
  /** The lead as loaded: its path, and what stat says of it now. */
  const lead = () => ({ file, stats: statSync(file) });
  const choice = () => ({
    files: [[join(dir, "skills.config.json"), "-"]] as [string, string][],
    env: [["SKILLS_CACHE_DIR", process.env.SKILLS_CACHE_DIR ?? null]] as [string, string | null][],
    present: [["SKILLS_TEST_TOKEN_NOT_SET", false]] as [string, boolean][],
    servers: [{ command: "node", args: ["server.js"], cwd: dir, mkdir: join(dir, ".skills") }],
  });
  const text = () => planText(choice(), argv, dir, lead());

  it("is the plan when it is for this command line and folder and nothing it went by changed", () => {
    const plan = currentPlan(text(), argv, dir, file);
    expect(plan).toMatchObject({ plan: 2, argv, cwd: dir, servers: choice().servers });
    // The lead that made it: a new build chooses anew.
    expect(plan?.lead).toEqual([file, leadSignature(statSync(file))]);
  });

  it.each([
    ["another command line", (plan: string) => currentPlan(plan, [...argv, "--json"], dir, file)],
    ["another folder", (plan: string) => currentPlan(plan, argv, join(dir, "sub"), file)],
    ["another install's lead", (plan: string) => currentPlan(plan, argv, dir, join(dir, "run.lead.cjs"))],
    ["a file that appeared", (plan: string) => currentPlan(plan.replace('"-"', '"f"'), argv, dir, file)],
    [
      "a setting with another value",
      (plan: string) => currentPlan(plan.replace(/("SKILLS_CACHE_DIR",)[^\]]*/, '$1"/elsewhere"'), argv, dir, file),
    ],
    ["a token that is set now", (plan: string) => currentPlan(plan.replace("false", "true"), argv, dir, file)],
    ["half a file", (plan: string) => currentPlan(plan.slice(0, plan.length / 2), argv, dir, file)],
    [
      "a variable that is not a setting",
      (plan: string) => currentPlan(plan.replace("SKILLS_CACHE_DIR", "SKILLS_TOKEN"), argv, dir, file),
    ],
    ["no servers", (plan: string) => currentPlan(plan.replace(/"servers":\[.*\]/, '"servers":[]'), argv, dir, file)],
    [
      "a server without its folder",
      (plan: string) => currentPlan(plan.replace(/,"mkdir":"[^"]*"/, ""), argv, dir, file),
    ],
    ["another version", (plan: string) => currentPlan(plan.replace('"plan":2', '"plan":1'), argv, dir, file)],
  ])("is undefined for %s", (_, check) => {
    expect(check(text())).toBeUndefined();
  });

  it("is undefined once the lead is rebuilt", async () => {
    const planned = text();
    await writeFile(file, "rebuilt: true\n");
    expect(currentPlan(planned, argv, dir, file)).toBeUndefined();
  });

  it("is undefined when the lead was replaced while the command ran: it names the lead that chose", async () => {
    const loaded = lead();
    await writeFile(file, "replaced: yes\n");
    // Made at the command's end, with what was loaded: the lead there now never made this choice.
    expect(currentPlan(planText(choice(), argv, dir, loaded), argv, dir, file)).toBeUndefined();
  });

  it("is undefined for a lead rewritten in place with its size and time kept (its change time moved)", async () => {
    await writeFile(file, "build: aaaa\n");
    const planned = text();
    const before = fileSignature(file);
    execFileSync("cp", ["-p", file, `${file}.times`]);
    await new Promise((done) => setTimeout(done, 20));
    await writeFile(file, "build: bbbb\n");
    execFileSync("touch", ["-r", `${file}.times`, file]);
    // Same inode, size, mode and modification time: only the change time tells.
    expect(fileSignature(file)).toBe(before);
    expect(currentPlan(planned, argv, dir, file)).toBeUndefined();
  });
});

describe("planArgv", () => {
  const run = ["run", "forecast"];
  it.each([
    [
      [...run, "--input", '{"city": "Oslo"}'],
      [...run, "--input", "\u0000json"],
    ],
    [
      [...run, "--input", "[1, 2]", "--json"],
      [...run, "--input", "\u0000json", "--json"],
    ],
    [
      ["run", "--input", "@in.json", "forecast"],
      ["run", "--input", "\u0000@file", "forecast"],
    ],
    [run, run],
    // No plan: it would hold the input, or could not tell its kind.
    [[...run, "--input", "{city: Oslo}"], undefined],
    [[...run, "--input", "-1"], undefined],
    [[...run, "--input", "1", "--input", "2"], undefined],
    [[...run, "--input={}"], undefined],
    [[...run, "--", "--input", "1"], undefined],
    [[...run, "--input", "{}", "--", "ghp_token"], undefined],
    [[...run, "--input"], undefined],
    [[...run, "--input", "--json"], undefined],
    [[...run, "--inputx", "{}"], undefined],
    [
      [...run, "--no-input"],
      [...run, "--no-input"],
    ],
  ])("%j -> %j", (argv, planned) => {
    expect(planArgv(argv)).toEqual(planned);
  });

  it("two inputs of a kind give one command line, and so one plan", () => {
    expect(planArgv([...run, "--input", '{"city": "Oslo"}'])).toEqual(
      planArgv([...run, "--input", '{"city": "Rome"}']),
    );
  });
});

describe("startPlanned", () => {
  const plan = (command: string, args: string[]): StartPlan => ({
    plan: 2,
    argv: [],
    cwd: dir,
    lead: [file, ""],
    files: [],
    env: [],
    present: [],
    servers: [{ command, args, cwd: dir, mkdir: join(dir, ".skills") }],
  });

  it("spawns each server in a group of its own, held until it is released, and ends those not taken", async () => {
    const started = startPlanned(plan(process.execPath, ["-e", "setInterval(() => {}, 1000)"]));
    expect(started.servers).toHaveLength(1);
    const [server] = started.servers;
    const pid = server!.child.pid!;
    expect(server!.spec).toEqual({
      command: process.execPath,
      args: ["-e", "setInterval(() => {}, 1000)"],
      env: {},
      cwd: dir,
    });
    expect(liveProcessGroups()).toContain(pid);
    const exited = new Promise((done) => server!.child.once("exit", done));
    started.endUntaken();
    await exited;
    expect(await survivors([pid])).toEqual([]);
    expect(liveProcessGroups()).not.toContain(pid);
  });

  it("a server that exited before anyone took it over is let go of at once (nobody heard its exit)", async () => {
    const started = startPlanned(plan(process.execPath, ["-e", "0"]));
    const [server] = started.servers;
    const pid = server!.child.pid!;
    await new Promise((done) => server!.child.once("exit", done));
    expect(liveProcessGroups()).toContain(pid);
    started.endUntaken();
    expect(liveProcessGroups()).not.toContain(pid);
  });

  it("a server whose command is gone is left to the lead, without an error of its own", async () => {
    const started = startPlanned(plan(join(dir, "no-such-server"), []));
    expect(started.servers).toEqual([]);
    await new Promise((done) => setTimeout(done, 50));
    started.endUntaken();
  });
});
