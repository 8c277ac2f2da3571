/**
 * The HTML report as a person sees it: headless Chromium renders the file `skills metrics --html` wrote (no network,
 * a fresh profile) and the screenshot must show the charts in their colours. Where Chromium is not installed the
 * test is skipped, and says why.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { syntheticRecords, toJsonl } from "../../bench/lib/runRecords.mjs";
import { COLORS } from "../../src/core/metrics/html/svg.js";
import { skillsSync } from "../helpers/cli.js";
import { PROJECT_PATHS } from "../helpers/project.js";
import { countColor, readPng } from "../helpers/png.js";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) {
  console.log(
    `skipping the HTML screenshot test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`,
  );
}

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function screenshot(html: string): Promise<ReturnType<typeof readPng>> {
  const dir = await mkdtemp(join(tmpdir(), "skills-shot-"));
  temps.push(dir);
  const png = join(dir, "shot.png");
  const result = spawnSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${join(dir, "profile")}`,
      "--window-size=1200,2000",
      `--screenshot=${png}`,
      `file://${html}`,
    ],
    { encoding: "utf8", timeout: 90_000 },
  );
  if (!existsSync(png)) throw new Error(`chromium wrote no screenshot (status ${result.status}): ${result.stderr}`);
  return readPng(await readFile(png));
}

describe.skipIf(!available)("HTML report in headless Chromium", () => {
  it("shows the charts: runs, failures, tool calls and tokens in their colours", async () => {
    const project = await mkdtemp(join(tmpdir(), "skills-shot-project-"));
    temps.push(project);
    await writeFile(join(project, "skills.config.json"), "{}\n");
    await mkdir(join(project, ".skills/runs"), { recursive: true });
    await writeFile(join(project, ".skills/runs/runs.jsonl"), toJsonl(syntheticRecords(2000)));
    expect(skillsSync(["metrics", "--html", "report.html"], { cwd: project, env: PROJECT_PATHS }).code).toBe(0);
    const full = await screenshot(join(project, "report.html"));
    expect([full.width, full.height]).toEqual([1200, 2000]);
    // Each chart colour covers a visible area (bars are at least thousands of pixels).
    for (const [name, color] of Object.entries({ ok: COLORS.ok, fail: COLORS.fail, in: COLORS.in, p50: COLORS.p50 })) {
      expect({ name, enough: countColor(full, color) > 1500 }).toEqual({ name, enough: true });
    }

    // The same page without runs draws no bars: only the legends' small swatches keep those colours.
    const none = await mkdtemp(join(tmpdir(), "skills-shot-empty-"));
    temps.push(none);
    await writeFile(join(none, "skills.config.json"), "{}\n");
    expect(skillsSync(["metrics", "--html", "report.html"], { cwd: none, env: PROJECT_PATHS }).code).toBe(0);
    const empty = await screenshot(join(none, "report.html"));
    expect(countColor(empty, COLORS.fail)).toBeLessThan(countColor(full, COLORS.fail) / 10);
    expect(countColor(empty, COLORS.in)).toBeLessThan(countColor(full, COLORS.in) / 10);
  }, 180_000);
});
