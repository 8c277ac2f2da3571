/** `skills pii scan <file|->`: what the bridge would tokenize, for tuning privacy patterns. */
import { piiScan } from "../../commands/pii.js";
import { EXIT, SkillsError } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { parsePatternOption, parseScanFormat, parseScanMode, parseTokenize } from "../parse/pii.js";
import { allStrings, lastString } from "../parse/values.js";
import { renderPiiScan } from "../render/pii.js";
import { readStdin } from "../stdin.js";

const STDIN_LIMIT = { maxBytes: 256 * 1024 * 1024, what: "stdin", hint: "split the input and scan the parts" };

export const handler: CommandHandler = async (ctx, [action, file], options) => {
  if (action !== "scan") {
    throw new SkillsError("USAGE", action ? `unknown pii action: ${String(action)}` : "pii needs an action", {
      hint: "skills pii scan <file|->",
    });
  }
  // The argv parser drops a bare `-`: no file means stdin, unless stdin is a terminal.
  const source = file === undefined || String(file) === "-" ? "-" : String(file);
  if (source === "-" && process.stdin.isTTY) {
    throw new SkillsError("USAGE", "pii scan needs a file, or input piped to stdin", {
      hint: "skills pii scan data.json, or: cat data.json | skills pii scan -",
    });
  }
  const mode = parseScanMode(options.mode);
  const format = parseScanFormat(options.format);
  const tokenize = parseTokenize(options.tokenize);
  const manifest = lastString(options.manifest);
  const result = await piiScan({
    file: source,
    ...(source === "-" ? { text: await readStdin(process.stdin, STDIN_LIMIT) } : {}),
    ...(format ? { format } : {}),
    ...(mode ? { mode } : {}),
    ...(manifest ? { manifest } : {}),
    ...(tokenize ? { tokenize } : {}),
    patterns: (allStrings(options.pattern) ?? []).map(parsePatternOption),
    ignoreFields: allStrings(options.ignore) ?? [],
    showValues: Boolean(options.showValues),
    cwd: ctx.cwd,
  });
  emit(ctx, result, renderPiiScan);
  ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
};
