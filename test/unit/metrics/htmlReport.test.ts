/** The HTML report: a snapshot of the page for a fixed log, self-contained, and nothing from the log unescaped. */
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../../src/contracts/runRecord.js";
import { summarise } from "../../../src/core/metrics/aggregate.js";
import { renderHtmlReport } from "../../../src/core/metrics/html/report.js";
import { syntheticRecords } from "../../../bench/lib/runRecords.mjs";

const records = syntheticRecords(600) as RunRecord[];
const html = renderHtmlReport(summarise(records), { generatedAt: "2025-02-01T09:00:00.000Z", filters: ["--since 7d"] });

describe("renderHtmlReport", () => {
  it("matches the snapshot", async () => {
    await expect(html).toMatchFileSnapshot("__snapshots__/report.html");
  });

  it("is one self-contained page: no script, nothing fetched", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href=/i);
    // The only URL is the SVG namespace, which names and fetches nothing.
    expect([...html.matchAll(/https?:\/\/[^\s"']+/g)].map((m) => m[0])).toEqual(
      Array(html.split("<svg").length - 1).fill("http://www.w3.org/2000/svg"),
    );
    expect(html).toContain("default-src 'none'");
  });

  it("draws the four charts with the log's figures", () => {
    expect(html.split("<svg").length - 1).toBe(4);
    for (const title of ["Duration over time", "Success rate per skill", "Tool calls", "Token savings"]) {
      expect(html).toContain(`<h2>${title}</h2>`);
    }
    const contacts = records.filter((r) => r.skill === "import-contacts");
    const failed = contacts.filter((r) => r.outcome !== "ok").length;
    expect(html).toContain(`import-contacts: ${failed} of ${contacts.length} failed`);
  });

  it("escapes names from the log", () => {
    const hostile = { ...records[0]!, skill: '<script>alert("x")</script>', tools: [] };
    const page = renderHtmlReport(summarise([hostile]), { generatedAt: "x" });
    expect(page).not.toContain("<script>");
    expect(page).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
  });

  it("says so when there is nothing to show", () => {
    const page = renderHtmlReport(summarise([]), { generatedAt: "x" });
    expect(page).toContain("no runs recorded");
    expect(page).toContain("No runs in this window.");
  });
});
