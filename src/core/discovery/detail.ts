/**
 * What an answer about a tool contains at each detail level: `name` (the key), `summary` (key + first sentence),
 * `full` (everything the server said, plus the generated TS and Python signatures).
 */
import type { JsonObject } from "../../contracts/json.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { toolTitle } from "../toolTitle.js";

export const DETAIL_LEVELS = ["name", "summary", "full"] as const;
export type Detail = (typeof DETAIL_LEVELS)[number];

export interface Signatures {
  ts: string;
  python: string;
}

export type RenderSignatures = (tool: ToolInfo) => Signatures;

export interface ToolView {
  /** "server/tool". */
  key: string;
  server: string;
  name: string;
  title?: string;
  /** First sentence of the description (summary and full). */
  summary?: string;
  description?: string;
  serverInfo?: { name: string; version: string };
  inputSchema?: JsonObject;
  outputSchema?: JsonObject;
  annotations?: JsonObject;
  execution?: JsonObject;
  _meta?: JsonObject;
  signatures?: Signatures;
}

export function isDetail(value: string): value is Detail {
  return (DETAIL_LEVELS as readonly string[]).includes(value);
}

const ABBREVIATION = /(\b(e\.g|i\.e|vs)|(^|\s)[A-Z])\.$/;

/** The first sentence of a description, on one line, at most `max` characters. */
export function firstSentence(text: string | undefined, max = 160): string {
  if (!text) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  let end = -1;
  for (const match of flat.matchAll(/[.!?](?=\s|$)/g)) {
    // "e.g.", "i.e.", "vs." and initials do not end a sentence.
    if (ABBREVIATION.test(flat.slice(Math.max(0, match.index - 4), match.index + 1))) continue;
    end = match.index;
    break;
  }
  const sentence = end >= 0 ? flat.slice(0, end + 1) : flat;
  return sentence.length > max ? `${sentence.slice(0, max - 1).trimEnd()}…` : sentence;
}

export function viewTool(tool: ToolInfo, detail: Detail, renderSignatures?: RenderSignatures): ToolView {
  const view: ToolView = { key: `${tool.server}/${tool.name}`, server: tool.server, name: tool.name };
  if (detail === "name") return view;
  const title = toolTitle(tool);
  if (title) view.title = title;
  view.summary = firstSentence(tool.description);
  if (detail === "summary") return view;
  if (tool.description) view.description = tool.description;
  view.serverInfo = tool.serverInfo;
  view.inputSchema = tool.inputSchema;
  if (tool.outputSchema) view.outputSchema = tool.outputSchema;
  if (tool.annotations) view.annotations = tool.annotations;
  if (tool.execution) view.execution = tool.execution;
  if (tool._meta) view._meta = tool._meta;
  if (renderSignatures) view.signatures = renderSignatures(tool);
  return view;
}
