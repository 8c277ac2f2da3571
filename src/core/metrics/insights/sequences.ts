/**
 * Tool chains that exec runs repeat: the same ordered calls (a call repeated back to back counts once, so a loop
 * over five files and one over ten are the same chain) in at least `minRepeats` successful runs. Each is a candidate
 * skill, with the `skills new --from-run` command that turns the latest such run whose code was kept into one.
 */
import type { RunRecord } from "../../../contracts/runRecord.js";
import { round } from "../stats.js";
import type { Analysis, Confidence, Insight } from "./types.js";

const SEQUENCE_KINDS = new Set(["exec", "repl", "serve"]);

export const repeatedSequences: Analysis = (sources, options) => {
  const chains = new Map<string, { chain: string[]; runs: RunRecord[]; programs: Set<string> }>();
  for (const run of sources.runs) {
    if (!SEQUENCE_KINDS.has(run.kind) || run.outcome !== "ok" || !run.sequence) continue;
    const chain = collapse(run.sequence);
    if (chain.length < 2) continue;
    const key = chain.join(" → ");
    let entry = chains.get(key);
    if (!entry) {
      entry = { chain, runs: [], programs: new Set() };
      chains.set(key, entry);
    }
    entry.runs.push(run);
    if (run.code_sha256) entry.programs.add(run.code_sha256);
  }
  const out: Insight[] = [];
  for (const [key, entry] of chains) {
    if (entry.runs.length < options.minRepeats) continue;
    const source = [...entry.runs].reverse().find((run) => run.kind === "exec" && sources.hasCode(run));
    const name = suggestName(entry.chain);
    const tokensIn = entry.runs.reduce((sum, run) => sum + run.tokens_in, 0);
    const tokensOut = entry.runs.reduce((sum, run) => sum + run.tokens_out, 0);
    const confidence: Confidence = entry.runs.length >= 3 * options.minRepeats ? "high" : "medium";
    out.push({
      kind: "repeated-sequence",
      subject: key,
      title: `${entry.runs.length} exec runs (${entry.programs.size} different program${entry.programs.size === 1 ? "" : "s"}) made the same tool calls: ${key}`,
      recommendation: source
        ? `Save it as a skill, so agents call one tested skill instead of writing this program again.`
        : "Save it as a skill; the code of these runs is not beside the run log (it held what looked like personal data or a secret, or was removed), so start one with `skills new`.",
      command: source
        ? `skills new ${name} --from-run ${source.id}`
        : `skills new ${name} --tools ${[...new Set(entry.chain)].join(",")}`,
      confidence,
      score: round(entry.runs.length * 0.8, 3),
      evidence: {
        runs: entry.runs.length,
        programs: entry.programs.size,
        chain: entry.chain,
        ...(source ? { run: source.id } : {}),
        tokensInPerRun: Math.round(tokensIn / entry.runs.length),
        tokensOutPerRun: Math.round(tokensOut / entry.runs.length),
      },
    });
  }
  return out;
};

export function collapse(sequence: readonly string[]): string[] {
  const out: string[] = [];
  for (const tool of sequence) if (out[out.length - 1] !== tool) out.push(tool);
  return out;
}

/** A valid skill name from the chain's first and last tools: `search-files-to-create-entities`. */
export function suggestName(chain: readonly string[]): string {
  const part = (key: string | undefined) =>
    (key ?? "")
      .split("/")
      .pop()!
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  const first = part(chain[0]);
  const last = part(chain[chain.length - 1]);
  const name = (first === last ? first : `${first}-to-${last}`).replace(/-{2,}/g, "-").slice(0, 64).replace(/-+$/, "");
  return name || "saved-run";
}
