/**
 * The bwrap probe's findings kept between processes: one file per machine state (uid, boot, user-namespace sysctls,
 * the bwrap and setpriv executables), read back as written, ignored when broken, removed when a run finds them wrong.
 */
import { chmod, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BwrapFacts, factsFile, forgetFacts, readFacts, writeFacts } from "../../../src/sandbox/isolationCache.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-facts-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FACTS: BwrapFacts = {
  bwrap: { path: "/usr/bin/bwrap", version: "0.8.0" },
  userns: true,
  disableUserns: true,
  reasons: [],
};

describe("kept isolation facts", () => {
  it("are read back as written, and gone once forgotten", () => {
    const file = join(dir, "facts.json");
    writeFacts(file, FACTS);
    expect(readFacts(file)).toEqual(FACTS);
    forgetFacts(file);
    expect(existsSync(file)).toBe(false);
    expect(readFacts(file)).toBeUndefined();
  });

  it("a broken or foreign file is not trusted", async () => {
    const file = join(dir, "broken.json");
    await writeFile(file, "{ not json");
    expect(readFacts(file)).toBeUndefined();
    await writeFile(file, JSON.stringify({ userns: "yes", reasons: [] }));
    expect(readFacts(file)).toBeUndefined();
  });

  it("live in a file named after the machine state: another bwrap executable is another file", async () => {
    const a = factsFile("/usr/bin/true", null);
    expect(a).toBe(factsFile("/usr/bin/true", null));
    expect(a).not.toBe(factsFile("/usr/bin/false", null));
    // the same path with other contents (an upgraded bwrap) is another state too
    const exe = join(dir, "bwrap");
    await copyFile("/usr/bin/true", exe);
    await chmod(exe, 0o755);
    const before = factsFile(exe, null);
    await copyFile("/usr/bin/false", exe);
    expect(factsFile(exe, null)).not.toBe(before);
    expect(a).toMatch(/isolation-[0-9a-f]{24}\.json$/);
  });
});
