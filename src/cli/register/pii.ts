/** `skills pii scan <file|->`: what the bridge would tokenize, for tuning privacy patterns. */
import { type PiiScanFormat, parsePatternOption, piiScan } from "../../commands/pii.js";
import { PII_MODES, isPiiMode } from "../../core/pii/index.js";
import { EXIT, SkillsError } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { renderPiiScan } from "../render/pii.js";
import { allStrings, lastString } from "./options.js";
import { readStdin } from "./stdin.js";

interface PiiCliOptions {
  mode?: unknown;
  format?: unknown;
  manifest?: unknown;
  tokenize?: unknown;
  pattern?: unknown;
  ignore?: unknown;
  showValues?: boolean;
}

const FORMATS: PiiScanFormat[] = ["auto", "json", "jsonl", "text"];
const STDIN_LIMIT = { maxBytes: 256 * 1024 * 1024, what: "stdin", hint: "split the input and scan the parts" };

export const registerPii: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("pii [action] [file]", "Show what PII tokenization would replace in a file: pii scan <file|->")
    .usage("pii scan <file|-> [options]")
    .option("--mode <mode>", "off | default | strict (default: the manifest's, else the config's pii setting)")
    .option("--format <format>", "auto | json | jsonl | text (default: auto, by extension and content)")
    .option("--manifest <file>", "Apply the privacy: block of this manifest.yaml")
    .option("--tokenize <types>", "Only these detectors, comma-separated: email,phone,ssn,credit_card,ip,secret,iban")
    .option("--pattern <name=regex>", "Add a custom detector (repeatable)", { type: [String] })
    .option("--ignore <field>", "Leave this field name or JSON pointer alone (repeatable)", { type: [String] })
    .option("--show-values", "Print the matched text instead of a masked form")
    .option(
      "--json",
      "Print { ok, file, format, mode, findings: [{ type, line, column, path, value, token }], counts }",
    )
    .example("skills pii scan records.json")
    .example("cat log.txt | skills pii scan - --format text --show-values")
    .example('skills pii scan rows.jsonl --pattern "employee_id=E-\\d{6}" --ignore support_email')
    .action(
      run(async (action: string | undefined, file: string | undefined, options: PiiCliOptions) => {
        if (action !== "scan") {
          throw new SkillsError("USAGE", action ? `unknown pii action: ${action}` : "pii needs an action", {
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
        const mode = lastString(options.mode);
        if (mode !== undefined && !isPiiMode(mode)) {
          throw new SkillsError("INVALID_ARGUMENT", `--mode must be one of ${PII_MODES.join(", ")}, not "${mode}"`, {
            hint: "skills pii scan data.json --mode strict",
          });
        }
        const format = lastString(options.format);
        if (format !== undefined && !FORMATS.includes(format as PiiScanFormat)) {
          throw new SkillsError("INVALID_ARGUMENT", `--format must be one of ${FORMATS.join(", ")}, not "${format}"`, {
            hint: "use --format text for logs and other plain text",
          });
        }
        // The argv parser turns `--tokenize ''` into the number 0: that is an empty list, not a detector named "0".
        const rawTokenize = Array.isArray(options.tokenize) ? options.tokenize.at(-1) : options.tokenize;
        const tokenize = (rawTokenize === 0 ? "" : lastString(rawTokenize))
          ?.split(",")
          .map((t) => t.trim())
          .filter((t) => t.length > 0);
        const manifest = lastString(options.manifest);
        const result = await piiScan({
          file: source,
          ...(source === "-" ? { text: await readStdin(process.stdin, STDIN_LIMIT) } : {}),
          ...(format ? { format: format as PiiScanFormat } : {}),
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
      }),
    );
};
