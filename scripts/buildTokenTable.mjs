// Build step: js-tiktoken's o200k_base ranks as the sorted binary table the run log counts tokens with
// (dist/data/tokens/o200k_base.skt). Shipping it means no run pays the ~1 s it takes to build the table from
// js-tiktoken's module — not the first run in a new project, not twenty first runs at once.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";

const dist = new URL("../dist/", import.meta.url);
const { encodeRankTable } = await import(new URL("core/metrics/tokenTable.js", dist).href);
const { loadTiktokenRanks } = await import(new URL("core/metrics/tokens.js", dist).href);
const dir = new URL("data/tokens/", dist);
mkdirSync(dir, { recursive: true });
const temp = new URL(`o200k_base.skt.${process.pid}.tmp`, dir);
writeFileSync(temp, encodeRankTable(await loadTiktokenRanks()));
renameSync(temp, new URL("o200k_base.skt", dir));
