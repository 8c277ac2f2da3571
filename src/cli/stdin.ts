/** Reading all of stdin (`skills exec -`, `skills pii scan -`), refusing more than a command can use. */
import type { Readable } from "node:stream";
import { SkillsError } from "../errors.js";

export interface StdinLimit {
  maxBytes: number;
  /** What is on stdin, for the message: "the program on stdin". */
  what: string;
  hint: string;
}

export async function readStdin(stream: Readable, limit: StdinLimit): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.byteLength;
    if (size > limit.maxBytes) {
      throw new SkillsError("INPUT_INVALID", `${limit.what} is larger than ${limit.maxBytes / 1024 / 1024} MiB`, {
        hint: limit.hint,
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
