/**
 * What the analysis found in a file, kept under .skills/cache/analysis.json by a hash of the analyser and the file's
 * text: a file that did not change is not parsed again (no Python run, no TypeScript compiler to load). Type checks
 * are kept the same way, by the hash of the sources and of the tools on both sides. A cache that cannot be read is
 * empty, an entry of the wrong shape is no answer; one that cannot be written costs speed next time, never an answer.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ownedCacheDir } from "../sandbox/cacheDir.js";
import { writeFileAtomic } from "../store/atomicWrite.js";

/** Bumped when the TypeScript analysis changes what it reports. */
const TS_ANALYSER = "ts-usage-1";
const FORMAT = 1;
const MAX_ENTRIES = 20_000;

let pythonAnalyser: string | undefined;

/** The analyser's identity: its own code, so that an upgraded toolkit never reads an older answer. */
export function analyserVersion(language: "python" | "typescript"): string {
  if (language === "typescript") return TS_ANALYSER;
  pythonAnalyser ??= createHash("sha256")
    .update(readFileSync(fileURLToPath(new URL("../../runtime/analysis/python_usage.py", import.meta.url))))
    .digest("hex")
    .slice(0, 16);
  return `py-usage-${pythonAnalyser}`;
}

/**
 * The key of an answer: a hash of its inputs, keyed with a secret only this user's processes know. The cache is a file
 * in the project, which a change under review may bring along (a committed .skills/cache): answers it planted under
 * the plain hash of some code ("no errors") never match a key here.
 */
export function hashKey(...parts: string[]): string {
  const hash = createHmac("sha256", cacheSecret());
  for (const part of parts) hash.update(part).update("\u0000");
  return hash.digest("hex");
}

let secret: Buffer | undefined;
const SECRET_BYTES = 32;

/** This user's key, kept in the user's own runtime folder; a process that cannot keep one uses its own. */
function cacheSecret(): Buffer {
  if (secret) return secret;
  try {
    const file = join(ownedCacheDir("skills-runtime"), "analysis-cache.key");
    secret = readSecret(file);
    if (!secret) {
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, randomBytes(SECRET_BYTES), { mode: 0o600 });
      // whoever renames last wins; every process then reads the same key
      renameSync(temp, file);
      secret = readSecret(file);
    }
  } catch {
    // no folder of our own: answers are kept for this process only
  }
  secret ??= randomBytes(SECRET_BYTES);
  return secret;
}

function readSecret(file: string): Buffer | undefined {
  try {
    const data = readFileSync(file);
    return data.length === SECRET_BYTES ? data : undefined;
  } catch {
    return undefined;
  }
}

export class AnalysisCache {
  private readonly entries: Map<string, unknown>;
  private dirty = false;

  private constructor(
    private readonly file: string | undefined,
    entries: Map<string, unknown>,
  ) {
    this.entries = entries;
  }

  /** A cache kept in `dir`; `undefined` gives one that only lives as long as the process. */
  static async open(dir: string | undefined): Promise<AnalysisCache> {
    if (!dir) return new AnalysisCache(undefined, new Map());
    const file = join(dir, "analysis.json");
    try {
      const parsed = JSON.parse(await readFile(file, "utf8")) as { format?: number; entries?: Record<string, unknown> };
      if (parsed.format === FORMAT && parsed.entries && typeof parsed.entries === "object") {
        return new AnalysisCache(file, new Map(Object.entries(parsed.entries)));
      }
    } catch {
      // missing or unreadable: start empty
    }
    return new AnalysisCache(file, new Map());
  }

  /** The answer kept under `key`, when there is one of the shape `valid` expects (a damaged entry is no answer). */
  get<T>(key: string, valid: (value: unknown) => value is T): T | undefined {
    const value = this.entries.get(key);
    return value !== undefined && valid(value) ? value : undefined;
  }

  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    // the oldest entries go first when the cache grows past its size
    const kept = [...this.entries].slice(-MAX_ENTRIES);
    const text = JSON.stringify({ format: FORMAT, entries: Object.fromEntries(kept) });
    await writeFileAtomic(this.file, text).catch(() => undefined);
    this.dirty = false;
  }
}
