/**
 * The mechanical migrations of `skills compat --fix`: a renamed tool, argument, enum value or result field is
 * renamed in the code where the analysis saw it written (imports, calls, keyword arguments, object keys, literals,
 * subscripts and property reads), and a renamed tool in the manifest. What cannot be changed safely (a value that
 * comes from elsewhere, a key built at run time) is left alone and reported. Pure: edits in, edits out.
 */
import type { Span, ToolUsage } from "../../contracts/compat.js";
import { isPrefix, type JudgedChange } from "./judge.js";

export interface TextEdit {
  file: string;
  span: Span;
  text: string;
}

export interface FixPlan {
  edits: TextEdit[];
  /** Tool keys to rename in manifest.yaml. */
  manifest: { from: string; to: string }[];
  /** One line per migration applied. */
  applied: string[];
  /** Mechanical changes (or places) the fix leaves to the user, and why. */
  skipped: string[];
}

export interface FixContext {
  /** `server/tool` as declared. */
  key: string;
  usage: ToolUsage | undefined;
  language: "python" | "typescript" | "javascript";
  /** Source texts by file (to keep a literal's quote character). */
  sources: Map<string, string>;
  /** SDK function names of a tool after a rename: { python, ts } for the old and the new tool. */
  toolNames?: { before: { python: string; ts: string }; after: { python: string; ts: string } };
  /** Python keyword argument of each key of the tool after the change. */
  pythonParams?: Map<string, string>;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function planFixes(changes: JudgedChange[], ctx: FixContext): FixPlan {
  const plan: FixPlan = { edits: [], manifest: [], applied: [], skipped: [] };
  const calls = ctx.usage?.calls ?? [];
  const at = (loc: { file: string; line: number }) => `${loc.file}:${loc.line}`;
  for (const change of changes) {
    if (change.severity !== "migration-needed" || !change.rename) continue;
    const { from, to } = change.rename;
    if (change.rule === "tool-renamed") {
      const names = ctx.toolNames;
      const slash = ctx.key.indexOf("/");
      plan.manifest.push({ from: ctx.key, to: `${ctx.key.slice(0, slash)}/${to}` });
      if (!names) continue;
      const old = ctx.language === "python" ? names.before.python : names.before.ts;
      const now = ctx.language === "python" ? names.after.python : names.after.ts;
      for (const imported of ctx.usage?.imports ?? []) {
        if (imported.name === old) plan.edits.push({ file: imported.location.file, span: imported.span, text: now });
      }
      for (const call of calls) {
        if (call.callee.name === old) plan.edits.push({ file: call.location.file, span: call.callee.span, text: now });
        else if (!ctx.usage?.imports.some((i) => i.name === old))
          plan.skipped.push(`${at(call.location)}: call \`${to}\` instead of \`${from}\``);
      }
      plan.applied.push(
        `${ctx.key} -> ${ctx.key.slice(0, slash)}/${to} (manifest.yaml and ${calls.length} call${calls.length === 1 ? "" : "s"})`,
      );
      continue;
    }
    if (change.rule === "request-parameter-renamed") {
      const top = change.field.length === 1;
      const written = top && ctx.language === "python" ? (ctx.pythonParams?.get(to) ?? to) : to;
      let count = 0;
      for (const call of calls) {
        for (const arg of call.args) {
          if (arg.path.length !== change.field.length || !isPrefix(change.field, arg.path)) continue;
          if (arg.shorthand && arg.keySpan) {
            plan.edits.push({ file: arg.location.file, span: arg.keySpan, text: `${written}: ${from}` });
            count++;
          } else if (arg.keySpan) {
            plan.edits.push({ file: arg.location.file, span: arg.keySpan, text: written });
            count++;
          } else plan.skipped.push(`${at(arg.location)}: pass \`${to}\` instead of \`${from}\``);
        }
        if (call.dynamicArgs)
          plan.skipped.push(
            `${at(call.dynamicArgs)}: the arguments are built elsewhere: pass \`${to}\` instead of \`${from}\` there`,
          );
      }
      if (count > 0)
        plan.applied.push(`${ctx.key}: argument \`${from}\` -> \`${to}\` (${count} place${count === 1 ? "" : "s"})`);
      continue;
    }
    if (change.rule === "request-enum-value-renamed") {
      let count = 0;
      for (const call of calls) {
        for (const arg of call.args) {
          if (arg.path.length !== change.field.length || !isPrefix(change.field, arg.path)) continue;
          if (arg.constant && arg.value === from && arg.valueSpan) {
            const text = ctx.sources.get(arg.location.file)?.slice(arg.valueSpan[0], arg.valueSpan[1]) ?? "";
            const quote = /^['"`]/.test(text) ? text[0]! : '"';
            plan.edits.push({ file: arg.location.file, span: arg.valueSpan, text: `${quote}${to}${quote}` });
            count++;
          } else if (!arg.constant) {
            plan.skipped.push(
              `${at(arg.location)}: the value comes from elsewhere: map \`${from}\` to \`${to}\` where it is made`,
            );
          }
        }
      }
      if (count > 0)
        plan.applied.push(`${ctx.key}: value \`${from}\` -> \`${to}\` (${count} place${count === 1 ? "" : "s"})`);
      continue;
    }
    if (change.rule === "response-field-renamed") {
      let count = 0;
      for (const call of calls) {
        for (const read of call.reads) {
          if (read.path.length !== change.field.length || !isPrefix(change.field, read.path)) continue;
          if (!read.key) {
            if (!read.escapes) plan.skipped.push(`${at(read.location)}: read \`${to}\` instead of \`${from}\``);
            continue;
          }
          if (read.key.style === "name" && !IDENTIFIER.test(to)) {
            plan.skipped.push(`${at(read.location)}: read \`${to}\` instead of \`${from}\` (it is not a plain name)`);
            continue;
          }
          const text =
            read.key.style === "shorthand" ? `${IDENTIFIER.test(to) ? to : JSON.stringify(to)}: ${from}` : to;
          plan.edits.push({ file: read.location.file, span: read.key.span, text });
          count++;
        }
      }
      if (count > 0)
        plan.applied.push(
          `${ctx.key}: result field \`${from}\` -> \`${to}\` (${count} place${count === 1 ? "" : "s"})`,
        );
    }
  }
  plan.edits = dedupeEdits(plan.edits);
  plan.skipped = [...new Set(plan.skipped)];
  return plan;
}

function dedupeEdits(edits: TextEdit[]): TextEdit[] {
  const seen = new Map<string, TextEdit>();
  for (const edit of edits) seen.set(`${edit.file}:${edit.span[0]}:${edit.span[1]}`, edit);
  return [...seen.values()];
}

/** Applies edits to one text, last first; an edit that overlaps one already applied is dropped. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span[0] - a.span[0]);
  let out = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.span[1] > limit) continue;
    out = out.slice(0, edit.span[0]) + edit.text + out.slice(edit.span[1]);
    limit = edit.span[0];
  }
  return out;
}
