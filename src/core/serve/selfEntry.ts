/**
 * Is a server entry of .mcp.json `skills serve` itself? Claude Code and Cursor read the same .mcp.json as the
 * toolkit, so the entry that starts `skills serve` for them sits beside the servers it serves. Started as an upstream
 * of itself, it would read the same file and start itself again, without end. Recognised forms: `skills serve`,
 * `npx [-y] skills serve`, `npx [-y] skillsmith serve`, `node .../bin/skills.js serve`, `.../node_modules/.bin/skills
 * serve` (or `skillsmith`).
 */
import { basename } from "node:path/posix";

// `skillsmith` is the package's own name on npm, and its second bin (for machines with another `skills` installed).
const SELF = /^(?:skills|skillsmith)(?:\.js)?$/;

export function isSkillsServe(command: string, args: readonly string[]): boolean {
  const words = [command, ...args].map((word) => basename(word.replace(/\\/g, "/")));
  const at = words.findIndex((word) => SELF.test(word));
  // The command is the first word after `skills` that is not an option: `skills --debug serve`, not `skills run serve`.
  return at >= 0 && words.slice(at + 1).find((word) => !word.startsWith("-")) === "serve";
}
