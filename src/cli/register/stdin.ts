/** Reading all of stdin (for `skills exec -`). */
import type { Readable } from "node:stream";
import { SkillsError } from "../../errors.js";

const MAX_PROGRAM_BYTES = 16 * 1024 * 1024;

export async function readStdin(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.byteLength;
    if (size > MAX_PROGRAM_BYTES) {
      throw new SkillsError("INPUT_INVALID", "the program on stdin is larger than 16 MiB", {
        hint: "write the program to a file and pass --file",
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
