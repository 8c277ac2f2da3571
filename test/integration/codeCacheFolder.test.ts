/**
 * The code cache's folder (src/store/codeCacheFolder.ts): which folders a start may keep compiled code in, and the
 * reason `skills doctor` gives for one it refuses, from the real CLI with a temp folder of its own.
 */
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCodeCacheFolder } from "../../src/store/codeCacheFolder.js";
import { REPO, skillsSync } from "../helpers/cli.js";

const asRoot = process.getuid?.() === 0;
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "skills-cache-folder-"));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

let made = 0;
/** A new folder of `mode` under `parent` (chmod: the umask does not apply). */
function folder(mode: number, parent = scratch): string {
  made += 1;
  const dir = join(parent, `f${made}-${mode.toString(8)}`);
  mkdirSync(dir);
  chmodSync(dir, mode);
  return dir;
}

describe("checkCodeCacheFolder", () => {
  it("takes a private folder of this user, by its real path", () => {
    const dir = folder(0o700);
    expect(checkCodeCacheFolder(dir)).toEqual({ ok: true, real: realpathSync(dir) });
    // under a sticky folder anybody can write, as /tmp is
    expect(checkCodeCacheFolder(folder(0o700, folder(0o1777)))).toMatchObject({ ok: true });
    // through a link above it (a link's own mode is 0777, and says nothing): the folder it leads to
    const safe = folder(0o755);
    const cache = folder(0o700, safe);
    symlinkSync(safe, join(scratch, "to-safe"));
    const through = join(scratch, "to-safe", basename(cache));
    expect(checkCodeCacheFolder(through)).toEqual({ ok: true, real: realpathSync(cache) });
    expect(realpathSync(cache)).not.toBe(through);
  });

  it("refuses a folder somebody else could write or swap, and says why", () => {
    const link = join(scratch, "link");
    symlinkSync(folder(0o700), link);
    const file = join(scratch, "file");
    writeFileSync(file, "");
    const open = folder(0o777);
    // Through a link of a folder anybody can write (who can swap the link), to a folder nobody else can write.
    const swappable = folder(0o777);
    const safe = folder(0o755);
    const safeCache = folder(0o700, safe);
    symlinkSync(safe, join(swappable, "link"));
    // Through a safe link, to a private folder in a folder anybody can write.
    const openCache = folder(0o700, folder(0o777));
    symlinkSync(dirname(openCache), join(scratch, "to-open"));
    const unsafe = (path: string) => `its group and others can write ${path} above it, which is not sticky (mode 0777)`;
    const cases: [string, string, boolean][] = [
      [link, "it is a symbolic link", true],
      [file, "it is not a folder", true],
      [join(scratch, "missing"), "it does not exist", false],
      [join(file, "below"), `it cannot be checked: ENOTDIR on ${join(file, "below")}`, false],
      [folder(0o770), "its group can write it (mode 0770)", true],
      [folder(0o702), "others can write it (mode 0702)", true],
      [folder(0o1777), "its group and others can write it (mode 01777)", true],
      [folder(0o700, open), unsafe(open), false],
      [join(swappable, "link", basename(safeCache)), unsafe(swappable), false],
      [join(scratch, "to-open", basename(openCache)), unsafe(dirname(openCache)), false],
    ];
    for (const [dir, reason, removable] of cases) {
      expect(checkCodeCacheFolder(dir), dir).toEqual({ ok: false, reason, removable });
    }
  });

  it.runIf(asRoot)("refuses another user's folder, and a private folder inside another user's folder", () => {
    const theirs = folder(0o700);
    chownSync(theirs, 1000, 1000);
    expect(checkCodeCacheFolder(theirs)).toEqual({
      ok: false,
      reason: "it belongs to uid 1000, not to this user (uid 0)",
      removable: false,
    });
    const parent = folder(0o755);
    chownSync(parent, 1000, 1000);
    expect(checkCodeCacheFolder(folder(0o700, parent))).toEqual({
      ok: false,
      reason: `${parent} above it belongs to uid 1000`,
      removable: false,
    });
  });
});

describe("skills doctor on the code cache", () => {
  /** `skills doctor --json`, and the text report unless `text` is false, with `tmp` as the temp folder. */
  const doctor = (tmp: string, env: Record<string, string | undefined> = {}, text = true) => {
    const run = (json: boolean) =>
      skillsSync(["doctor", ...(json ? ["--json"] : [])], {
        cwd: REPO,
        env: { TMPDIR: tmp, SKILLS_CODE_CACHE: undefined, ...env },
        timeout: 120_000,
      });
    const json = run(true);
    expect(json.stderr).toBe("");
    return { code: json.code, report: JSON.parse(json.stdout), text: text ? run(false).stdout : "" };
  };
  const cacheOf = (tmp: string) => join(tmp, `skills-code-cache-${process.getuid?.() ?? 0}`);

  it("names the folder in use, private to the user", () => {
    const tmp = folder(0o755);
    const { code, report, text } = doctor(tmp);
    expect(code).toBe(0);
    expect(report.codeCache).toEqual({ state: "usable", path: realpathSync(cacheOf(tmp)) });
    expect(report.warnings).toEqual([]);
    expect(text).toContain(`code cache: ${realpathSync(cacheOf(tmp))}\n`);
    expect(text).toMatch(/everything looks fine$/m);
  });

  it("warns about a folder it will not use, with the reason and the fix, and still exits 0", () => {
    const tmp = folder(0o755);
    renameSync(folder(0o777, tmp), cacheOf(tmp));
    const { code, report, text } = doctor(tmp);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    const reason = "its group and others can write it (mode 0777)";
    expect(report.codeCache).toEqual({ state: "refused", path: cacheOf(tmp), reason, removable: true });
    expect(report.warnings).toEqual([
      `the code cache folder ${cacheOf(tmp)} is not used: ${reason}. Every command compiles all its code at start; ` +
        "remove it (the next command makes it again, private to you), or point TMPDIR at a folder of your own",
    ]);
    expect(text).toContain(`code cache: not used: ${cacheOf(tmp)} (${reason})\n`);
    expect(text).not.toContain("everything looks fine");
  });

  it("says when the temp folder cannot take the folder", () => {
    const missing = join(scratch, "no-such-tmp");
    // (the trial runs may fail too: nothing can be staged in a temp folder that is not there)
    const { report } = doctor(missing, {}, false);
    const reason = `it does not exist, and ${missing} cannot take it`;
    expect(report.codeCache).toEqual({ state: "refused", path: cacheOf(missing), reason, removable: false });
    // nothing to remove: only another temp folder helps
    expect(report.warnings).toContain(
      `the code cache folder ${cacheOf(missing)} is not used: ${reason}. Every command compiles all its code at start; ` +
        "point TMPDIR at a folder of your own",
    );
  });

  it("says off under SKILLS_CODE_CACHE=off, without a warning", () => {
    const { code, report, text } = doctor(folder(0o755), { SKILLS_CODE_CACHE: "off" });
    expect(code).toBe(0);
    expect(report.codeCache).toEqual({ state: "off" });
    expect(report.warnings).toEqual([]);
    expect(text).toContain("code cache: off (SKILLS_CODE_CACHE=off)\n");
  });
});
