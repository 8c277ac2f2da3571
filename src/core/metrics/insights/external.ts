/**
 * Analyses fed by other parts of the toolkit. Both are extension points that say nothing until their source exists:
 * - compat: `skills compat` results are passed in as CompatFinding[] (InsightSources.compat);
 * - search: `skills serve` appends a record of kind "search" (contracts/runRecord.ts SearchRecord) for each tool or
 *   skill search an agent makes; queries that found nothing, asked again and again, are what the library lacks.
 */
import { normaliseMessage } from "../normalise.js";
import { round } from "../stats.js";
import type { Analysis, Insight } from "./types.js";

const FAILING = new Set(["incompatible", "migration-needed"]);

export const compatFails: Analysis = (sources) =>
  sources.compat
    .filter((finding) => FAILING.has(finding.status))
    .map(
      (finding): Insight => ({
        kind: "compat-fails",
        subject: finding.skill,
        title: `${finding.skill} is ${finding.status} with the tools it depends on${finding.tool ? ` (${finding.tool}${finding.detail ? `: ${finding.detail}` : ""})` : ""}`,
        recommendation:
          finding.status === "migration-needed"
            ? "Apply the mechanical migration and re-lock the skill."
            : "Update the skill's code for the changed tool, then re-lock it.",
        command: `skills compat ${finding.skill}`,
        confidence: "high",
        score: finding.status === "incompatible" ? 50 : 25,
        evidence: { ...finding },
      }),
    );

/** Searches that found nothing, by normalised query, asked at least twice. */
export const missedSearches: Analysis = (sources) => {
  const misses = new Map<string, { count: number; clients: Set<string>; last: string }>();
  for (const search of sources.searches) {
    if (search.results > 0) continue;
    const query = normaliseMessage(search.query).toLowerCase();
    if (!query) continue;
    const entry = misses.get(query) ?? { count: 0, clients: new Set<string>(), last: search.time };
    entry.count += 1;
    entry.clients.add(search.client);
    if (search.time > entry.last) entry.last = search.time;
    misses.set(query, entry);
  }
  return [...misses]
    .filter(([, entry]) => entry.count >= 2)
    .map(
      ([query, entry]): Insight => ({
        kind: "search-missed",
        subject: query,
        title: `Agents searched ${entry.count} times for "${query}" and found nothing`,
        recommendation:
          "Write a skill for it, or add the words agents use to the description of the skill or tool that does it.",
        command: `skills tools search "${query.replace(/["\\$`]/g, "")}"`,
        confidence: entry.count >= 5 ? "high" : "medium",
        score: round(entry.count * 0.7, 3),
        evidence: { searches: entry.count, clients: [...entry.clients].sort(), last: entry.last },
      }),
    );
};
