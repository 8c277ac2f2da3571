/** Counting for the run record: per type and per tool, occurrences only. Never values, never hashes of values. */
import type { PiiAudit, PiiMode, PiiType, PiiTypeCounts } from "../types.js";
import type { TokenVault } from "./vault.js";

export type AuditEvent = "tokenized" | "restored" | "scrubbed";

export class PiiAuditLog {
  readonly #mode: PiiMode;
  readonly #types = new Map<PiiType, PiiTypeCounts>();
  readonly #from = new Map<string, Map<PiiType, number>>();
  readonly #to = new Map<string, Map<PiiType, number>>();
  #refused = 0;

  constructor(mode: PiiMode) {
    this.#mode = mode;
  }

  record(event: AuditEvent, type: PiiType, tool?: string): void {
    this.#counts(type)[event]++;
    if (tool === undefined || event === "scrubbed") return;
    const byTool = event === "tokenized" ? this.#from : this.#to;
    let perType = byTool.get(tool);
    if (!perType) {
      perType = new Map();
      byTool.set(tool, perType);
    }
    perType.set(type, (perType.get(type) ?? 0) + 1);
  }

  refused(): void {
    this.#refused++;
  }

  snapshot(vault: TokenVault): PiiAudit {
    const values = new Map<PiiType, number>();
    for (const entry of vault.entries()) values.set(entry.type, (values.get(entry.type) ?? 0) + 1);
    for (const type of values.keys()) this.#counts(type);
    const types: Record<PiiType, PiiTypeCounts> = {};
    for (const [type, counts] of [...this.#types].sort(([a], [b]) => a.localeCompare(b))) {
      types[type] = { ...counts, values: values.get(type) ?? 0 };
    }
    return { mode: this.#mode, types, from: toRecord(this.#from), to: toRecord(this.#to), refused: this.#refused };
  }

  #counts(type: PiiType): PiiTypeCounts {
    let counts = this.#types.get(type);
    if (!counts) {
      counts = { values: 0, tokenized: 0, restored: 0, scrubbed: 0 };
      this.#types.set(type, counts);
    }
    return counts;
  }
}

function toRecord(map: Map<string, Map<PiiType, number>>): Record<string, Record<PiiType, number>> {
  const out: Record<string, Record<PiiType, number>> = {};
  for (const [tool, perType] of [...map].sort(([a], [b]) => a.localeCompare(b))) {
    out[tool] = Object.fromEntries([...perType].sort(([a], [b]) => a.localeCompare(b)));
  }
  return out;
}
