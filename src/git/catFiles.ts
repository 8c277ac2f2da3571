/**
 * Many files at tree-ishes from one git process: `git cat-file --batch`, its answer parsed as it streams in. The bytes
 * of an object are kept only when it is a file (a blob) within the size limit; a larger one is read past and only its
 * size kept, so a branch that commits a huge file costs a review the time to read past it, not the memory to hold it.
 */
import { spawn } from "node:child_process";

/** A file at a tree-ish: its text; undefined when it is not there or not a file; its size when over the limit. */
export type TextAt = string | undefined | { tooLarge: number };

/**
 * Each of `names` (`<treeish>:<path>`, no line break in one: --batch reads a name per line) as `git cat-file --batch`
 * in `root` gives it; undefined when git fails or its answer is not one answer per name, in order.
 */
export function catFiles(
  root: string,
  env: Record<string, string>,
  names: string[],
  maxBytes: number,
): Promise<TextAt[] | undefined> {
  return new Promise((done) => {
    const parser = new BatchParser(names, maxBytes);
    const child = spawn("git", ["cat-file", "--batch", "--buffer"], {
      cwd: root,
      env,
      stdio: ["pipe", "pipe", "ignore"],
    });
    child.stdout.on("data", (chunk: Buffer) => {
      // an answer that cannot be git's for these names: nothing more of it is read
      if (!parser.feed(chunk)) child.kill();
    });
    child.on("error", () => done(undefined));
    child.on("close", (code) => done(code === 0 ? parser.finish() : undefined));
    // git gone before it read every name: its exit status says so
    child.stdin.on("error", () => undefined);
    try {
      child.stdin.end(names.map((name) => `${name}\n`).join(""));
    } catch {
      // more names than the longest string JavaScript holds: the caller reads the files one by one
      child.kill();
      done(undefined);
    }
  });
}

/** A found object's header: its id, type and size in bytes. */
const FOUND = /^[0-9a-f]{40,64} ([a-z]+) (\d{1,15})$/;

/**
 * The answer of `git cat-file --batch` to `names`, fed in chunks as they come: for each name in order, either
 * `<name> missing` (or `ambiguous`), or `<id> <type> <size>`, a line break, the object's bytes and a line break.
 */
export class BatchParser {
  private readonly results: TextAt[] = [];
  private line: Buffer[] = [];
  private lineBytes = 0;
  private readonly maxLine: number;
  private object: { size: number; left: number; kept: Buffer[] | null; blob: boolean; last: number } | null = null;
  private broken = false;

  constructor(
    private readonly names: readonly string[],
    private readonly maxBytes: number,
  ) {
    // the longest line git can send back: a name of ours and a word, or an id, a type and a size
    let longest = 0;
    for (const name of names) longest = Math.max(longest, Buffer.byteLength(name));
    this.maxLine = longest + 128;
  }

  /** Takes the next bytes of the answer; false once they cannot be part of it. */
  feed(chunk: Buffer): boolean {
    let at = 0;
    while (!this.broken && at < chunk.length) {
      const object = this.object;
      if (object) {
        const take = Math.min(object.left, chunk.length - at);
        object.kept?.push(chunk.subarray(at, at + take));
        object.left -= take;
        object.last = chunk[at + take - 1]!;
        at += take;
        if (object.left === 0) this.endObject(object);
        continue;
      }
      const end = chunk.indexOf(0x0a, at);
      const piece = chunk.subarray(at, end < 0 ? chunk.length : end);
      this.lineBytes += piece.length;
      if (this.lineBytes > this.maxLine) this.broken = true;
      else this.line.push(piece);
      if (end < 0) break;
      at = end + 1;
      if (!this.broken) this.startAnswer(Buffer.concat(this.line).toString("utf8"));
      this.line = [];
      this.lineBytes = 0;
    }
    return !this.broken;
  }

  /** One answer for each name, in order; undefined when the answer was not that. */
  finish(): TextAt[] | undefined {
    const complete = !this.broken && !this.object && this.lineBytes === 0 && this.line.length === 0;
    return complete && this.results.length === this.names.length ? this.results : undefined;
  }

  private startAnswer(line: string): void {
    const name = this.names[this.results.length];
    if (name === undefined) {
      this.broken = true;
      return;
    }
    if (line === `${name} missing` || line === `${name} ambiguous`) {
      this.results.push(undefined);
      return;
    }
    const header = FOUND.exec(line);
    if (!header) {
      this.broken = true;
      return;
    }
    const size = Number(header[2]);
    const blob = header[1] === "blob";
    // the object's bytes and the line break after them
    this.object = { size, left: size + 1, kept: blob && size <= this.maxBytes ? [] : null, blob, last: -1 };
  }

  private endObject(object: NonNullable<BatchParser["object"]>): void {
    this.object = null;
    if (object.last !== 0x0a) {
      this.broken = true;
      return;
    }
    if (!object.blob) this.results.push(undefined);
    else if (!object.kept) this.results.push({ tooLarge: object.size });
    else this.results.push(Buffer.concat(object.kept).toString("utf8", 0, object.size));
  }
}
