/**
 * `skills pii scan <file|->`: shows what the bridge would tokenize in a JSON, JSON Lines or text file, with line:col
 * and JSON pointers, so patterns and ignore rules can be tuned before a skill runs. Values are masked unless asked.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, relative, resolve } from "node:path";
import {
  BUILTIN_PII_TYPES,
  JsonSyntaxError,
  looksLikeJson,
  type PiiFinding,
  type PiiMode,
  type PiiPolicy,
  policyFromManifest,
  scanJsonText,
  scanText,
  tokenPrefix,
} from "../core/pii/index.js";
import { escapePointerToken, lineStarts, positionAt } from "../core/json/index.js";
import type { Problem } from "../contracts/problem.js";
import type { ManifestPrivacy } from "../contracts/skill.js";
import type { DocumentContext } from "../core/validate/documentContext.js";
import { validateManifest } from "../core/validate/manifest.js";
import { parseYaml } from "../core/yaml/parseYaml.js";
import { SkillsError } from "../errors.js";
import { maskValue } from "./shared/maskValue.js";
import { loadProjectConfig } from "../store/config.js";
import { schemaValidator } from "../store/schemas.js";

export type PiiScanFormat = "auto" | "json" | "jsonl" | "text";

export interface PiiScanOptions {
  /** File to scan; "-" means `text` holds stdin. */
  file: string;
  /** Contents of stdin when file is "-". */
  text?: string;
  format?: PiiScanFormat;
  /** --pii / --mode; else the manifest's mode; else the config default. */
  mode?: PiiMode;
  /** A manifest.yaml whose `privacy:` block is applied. */
  manifest?: string;
  /** Extra settings on top of the manifest's. */
  tokenize?: string[];
  patterns?: { name: string; regex: string }[];
  ignoreFields?: string[];
  /** Put the matched text into the result (default: masked). */
  showValues?: boolean;
  cwd: string;
}

export interface PiiScanFinding {
  type: string;
  line: number;
  column: number;
  /** JSON pointer ("" for plain text). */
  path: string;
  inKey?: boolean;
  confidence: number;
  /** Masked (`a•••••••••m`) unless showValues. */
  value: string;
  /** What it becomes in a run. */
  token: string;
}

export interface PiiScanResult {
  ok: boolean;
  file: string;
  format: "json" | "jsonl" | "text";
  mode: PiiMode;
  detectors: string[];
  findings: PiiScanFinding[];
  counts: Record<string, number>;
}

const MAX_SCAN_BYTES = 256 * 1024 * 1024;

export async function piiScan(options: PiiScanOptions): Promise<PiiScanResult> {
  const { text, file } = await readInput(options);
  const policy = await buildPolicy(options);
  const format = chooseFormat(options.format ?? "auto", file, text);
  const findings = policy.mode === "off" ? [] : scanByFormat(text, format, policy, file);
  const lines = lineStarts(text);
  const counters = new Map<string, Map<string, number>>();
  const tokenOf = (type: string, value: string) => {
    let perType = counters.get(type);
    if (!perType) {
      perType = new Map();
      counters.set(type, perType);
    }
    let n = perType.get(value);
    if (n === undefined) {
      n = perType.size + 1;
      perType.set(value, n);
    }
    return `[${tokenPrefix(type)}_${n}]`;
  };
  const out: PiiScanFinding[] = findings.map((f) => {
    const value = text.slice(f.start, f.end);
    const { line, column } = positionAt(lines, f.start);
    return {
      type: f.type,
      line,
      column,
      path: f.path,
      ...(f.inKey ? { inKey: true } : {}),
      confidence: f.confidence,
      value: options.showValues ? value : maskValue(value),
      token: tokenOf(f.type, value),
    };
  });
  if (!options.showValues)
    maskKeysInPaths(
      out,
      findings.map((f) => text.slice(f.start, f.end)),
    );
  const counts: Record<string, number> = {};
  for (const f of out) counts[f.type] = (counts[f.type] ?? 0) + 1;
  return {
    // In strict mode a finding is a failed check (exit 1): the same file would be refused as a run's output.
    ok: policy.mode !== "strict" || out.length === 0,
    file,
    format,
    mode: policy.mode,
    detectors: [...policy.types, ...policy.patterns.map((p) => p.name)],
    findings: out,
    counts,
  };
}

/**
 * A key that holds personal data (`{"alice@example.com": {...}}`) is part of the pointers of its own finding and of
 * everything under it: in those pointers the matched text is replaced by its token, which is also what the key
 * becomes in a run. `raw` holds each finding's text as written in the file.
 */
function maskKeysInPaths(findings: PiiScanFinding[], raw: string[]): void {
  const masked = new Map<string, string>();
  findings.forEach((f, i) => {
    if (!f.inKey) return;
    const cut = f.path.lastIndexOf("/");
    const segment = masked.get(f.path) ?? f.path.slice(cut + 1);
    const written = escapePointerToken(raw[i]!);
    // An escaped key (\u0040) is not found as written: then the whole segment is replaced.
    masked.set(f.path, segment.includes(written) ? segment.split(written).join(f.token) : f.token);
  });
  if (masked.size === 0) return;
  for (const f of findings) {
    const segments = f.path.split("/");
    let original = "";
    let out = "";
    for (const segment of segments.slice(1)) {
      original += `/${segment}`;
      out += `/${masked.get(original) ?? segment}`;
    }
    f.path = out;
  }
}

async function readInput(options: PiiScanOptions): Promise<{ text: string; file: string }> {
  if (options.file === "-") return { text: options.text ?? "", file: "-" };
  const path = resolve(options.cwd, options.file);
  const file = relative(options.cwd, path) || options.file;
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw new SkillsError("INPUT_INVALID", `${file} is not a file`, { file, hint: "pass a file, or - for stdin" });
    size = info.size;
  } catch (error) {
    if (error instanceof SkillsError) throw error;
    throw new SkillsError("NOT_FOUND", `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "error"}`, {
      file,
      hint: "check the path, or pass - to read from stdin",
    });
  }
  if (size > MAX_SCAN_BYTES) {
    throw new SkillsError("INPUT_INVALID", `${file} is larger than 256 MiB`, {
      file,
      hint: "split the file and scan the parts",
    });
  }
  // A UTF-8 byte order mark is not part of the JSON (editors on Windows write one), nor a column editors count.
  const text = await readFile(path, "utf8");
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file };
}

function chooseFormat(format: PiiScanFormat, file: string, text: string): "json" | "jsonl" | "text" {
  if (format !== "auto") return format;
  const ext = extname(file).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  if (looksLikeJson(text)) {
    try {
      scanJsonText(text, policyFromManifest(undefined, "off"));
      return "json";
    } catch {
      return "text";
    }
  }
  return "text";
}

function scanByFormat(text: string, format: "json" | "jsonl" | "text", policy: PiiPolicy, file: string): PiiFinding[] {
  if (format === "text") return scanText(text, policy);
  if (format === "json") return scanJsonOrThrow(text, 0, "", policy, file, text);
  const findings: PiiFinding[] = [];
  let offset = 0;
  let index = 0;
  for (const line of text.split("\n")) {
    if (line.trim() !== "") {
      findings.push(...scanJsonOrThrow(line, offset, `/${index}`, policy, file, text));
      index++;
    }
    offset += line.length + 1;
  }
  return findings;
}

function scanJsonOrThrow(
  json: string,
  base: number,
  prefix: string,
  policy: PiiPolicy,
  file: string,
  whole: string,
): PiiFinding[] {
  try {
    return scanJsonText(json, policy).map((f) => ({
      ...f,
      start: f.start + base,
      end: f.end + base,
      path: prefix + f.path,
    }));
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const { line, column } = positionAt(lineStarts(whole), base + error.offset);
    throw new SkillsError("INPUT_INVALID", `not valid JSON: ${error.message.replace(/ at offset \d+$/, "")}`, {
      file,
      line,
      column,
      hint: "fix the JSON, or pass --format text to scan the file as plain text",
    });
  }
}

async function buildPolicy(options: PiiScanOptions): Promise<PiiPolicy> {
  const config = await loadProjectConfig(options.cwd);
  const privacy = options.manifest ? await readPrivacy(options.manifest, options.cwd) : undefined;
  checkOptions(options, privacy);
  const merged: ManifestPrivacy = {
    ...(privacy ?? {}),
    ...(options.tokenize ? { tokenize: options.tokenize } : {}),
    patterns: [...(privacy?.patterns ?? []), ...(options.patterns ?? [])],
    ignore_fields: [...(privacy?.ignore_fields ?? []), ...(options.ignoreFields ?? [])],
  };
  // The manifest passed validation and the options were checked on their own: nothing is left to fail here.
  return policyFromManifest(merged, options.mode, config.pii);
}

/**
 * --tokenize, --pattern and --ignore on their own (the same rules as a manifest's privacy block), with messages that
 * name the option; and a --pattern that reuses the name of one of the manifest's patterns.
 */
function checkOptions(options: PiiScanOptions, privacy: ManifestPrivacy | undefined): void {
  const patterns = options.patterns ?? [];
  const ignore = options.ignoreFields ?? [];
  const detectors = `built-in detectors: ${BUILTIN_PII_TYPES.join(", ")}; add your own with --pattern name=regex`;
  if (options.tokenize?.length === 0) {
    throw new SkillsError("INVALID_ARGUMENT", "--tokenize needs one or more detector names, comma-separated", {
      hint: `e.g. --tokenize email,phone; ${detectors}`,
    });
  }
  try {
    policyFromManifest({
      ...(options.tokenize ? { tokenize: options.tokenize } : {}),
      patterns,
      ignore_fields: ignore,
    });
  } catch (error) {
    if (!(error instanceof SkillsError) || typeof error.data.pointer !== "string") throw error;
    const m = /^\/privacy\/(tokenize|patterns|ignore_fields)\/(\d+)/.exec(error.data.pointer);
    if (!m) throw error;
    const i = Number(m[2]);
    const reason = String(error.data.reason ?? error.message);
    if (m[1] === "tokenize") throw new SkillsError("INVALID_ARGUMENT", `--tokenize: ${reason}`, { hint: detectors });
    if (m[1] === "patterns") {
      const p = patterns[i]!;
      const hint = error.data.pointer.endsWith("/regex")
        ? error.message.includes("empty string")
          ? String(error.data.hint)
          : 'write a JavaScript regular expression without slashes or flags, e.g. --pattern "employee_id=E-\\d{6}"'
        : String(error.data.hint).replace("under privacy.tokenize", "in --tokenize");
      throw new SkillsError(
        "INVALID_ARGUMENT",
        `--pattern ${p.name}=${p.regex}: ${reason.replace(/^\([^)]*\) /, "")}`,
        {
          hint,
        },
      );
    }
    const message = reason.startsWith(`"${ignore[i]}"`) ? reason : `"${ignore[i]}" ${reason}`;
    throw new SkillsError("INVALID_ARGUMENT", `--ignore ${message}`, { hint: String(error.data.hint) });
  }
  const fromManifest = new Set((privacy?.patterns ?? []).map((p) => p.name));
  for (const p of patterns) {
    if (fromManifest.has(p.name)) {
      throw new SkillsError(
        "INVALID_ARGUMENT",
        `--pattern ${p.name}=${p.regex}: the name "${p.name}" is used by a pattern in ${options.manifest}`,
        { hint: "give the pattern another name, or drop --pattern: the manifest's pattern is applied already" },
      );
    }
  }
}

/**
 * The `privacy:` block of a manifest, validated the way `skills validate` and `skills run` do (the schema and the
 * semantic checks of src/core/validate). Only problems inside the privacy block stop a scan: a manifest that holds
 * nothing but `privacy:` is fine for trying settings out.
 */
async function readPrivacy(manifest: string, cwd: string): Promise<ManifestPrivacy | undefined> {
  const path = resolve(cwd, manifest);
  const file = relative(cwd, path) || path;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SkillsError("NOT_FOUND", `cannot read the manifest ${file}: ${(error as NodeJS.ErrnoException).code}`, {
      file,
      hint: "pass the path of a skill's manifest.yaml",
    });
  }
  const parsed = parseYaml(text, { file });
  if (!parsed.ok) {
    const first = parsed.errors[0]!;
    throw new SkillsError("YAML_SYNTAX", first.message, {
      file,
      line: first.line,
      column: first.column,
      hint: first.hint,
    });
  }
  const ctx: DocumentContext = { file, locate: parsed.locate, sourceAt: parsed.sourceAt, strict: false };
  const { problems } = validateManifest(parsed.value, schemaValidator("manifest"), ctx);
  const relevant = problems.filter(
    (p) => p.code === "YAML_NOT_MAPPING" || p.pointer === "/privacy" || p.pointer.startsWith("/privacy/"),
  );
  if (relevant.length > 0) throw manifestError(relevant, file);
  return (parsed.value as { privacy?: ManifestPrivacy }).privacy;
}

/** The privacy block's problems, as `skills run` reports an invalid skill: each with its position, code and hint. */
function manifestError(problems: Problem[], file: string): SkillsError {
  const first = problems[0]!;
  const where = { file, line: first.line, column: first.column, pointer: first.pointer, problems };
  if (problems.length === 1) {
    return new SkillsError("MANIFEST_INVALID", `${first.message} (${first.code})`, {
      ...where,
      hint: first.hint ?? "see docs/privacy.md for the privacy block",
    });
  }
  const lines = problems.map(
    (p) => `  ${p.file}:${p.line}:${p.column}  ${p.code}  ${p.message}${p.hint ? ` (${p.hint})` : ""}`,
  );
  return new SkillsError(
    "MANIFEST_INVALID",
    `the privacy block of ${file} has ${problems.length} problems:\n${lines.join("\n")}`,
    { ...where, hint: "fix the problems above; docs/privacy.md describes the privacy block" },
  );
}
