/**
 * The code of exec and repl runs, kept beside the log as `code/<sha256>.<ext>` so that `skills new --from-run` can
 * turn a run into a skill. Content-addressed: the same program is stored once, and a file that exists is not
 * rewritten. Written to a temporary name and renamed, so a reader never sees half a program.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeDir } from "./files.js";

const EXTENSIONS: Record<string, string> = { python: "py", typescript: "ts", javascript: "js" };

export function codeSha256(code: string): string {
  return createHash("sha256").update(code, "utf8").digest("hex");
}

export function codePath(logPath: string, sha256: string, language: string): string {
  // The hash comes from a log line, which anyone can edit: it names a file in code/ and nothing else.
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256.slice(0, 80))}`);
  return join(codeDir(logPath), `${sha256}.${EXTENSIONS[language] ?? "txt"}`);
}

/** Stores the code (if not stored yet); throws the file system's error. */
export function storeRunCode(logPath: string, code: string, language: string, sha256 = codeSha256(code)): string {
  const path = codePath(logPath, sha256, language);
  if (existsSync(path)) return path;
  mkdirSync(codeDir(logPath), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temp, code, { mode: 0o600 });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never created
    }
    throw error;
  }
  return path;
}

/** The stored code of a run, or undefined when it is not there (or does not match its hash). */
export function readRunCode(logPath: string, sha256: string, language: string): string | undefined {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  let code: string;
  try {
    code = readFileSync(codePath(logPath, sha256, language), "utf8");
  } catch {
    return undefined;
  }
  return codeSha256(code) === sha256 ? code : undefined;
}
