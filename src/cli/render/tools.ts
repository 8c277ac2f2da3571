/** Human output of `skills tools search|list|show`. */
import type { ToolView } from "../../core/discovery/detail.js";
import { terminalSafe as safe } from "../../core/text/terminal.js";
import type { ToolsListResult, ToolsSearchResult, ToolsShowResult, ToolsStats } from "../../commands/tools.js";
import type { CatalogServer } from "../../mcp/catalog.js";
import type { CliContext } from "../context.js";
import type { Style } from "../style.js";

function renderLines(views: ToolView[], style: Style): string[] {
  const width = Math.min(Math.max(0, ...views.map((view) => view.key.length)), 48);
  return views.map((view) =>
    view.summary !== undefined ? `${style.bold(safe(view.key).padEnd(width))}  ${safe(view.summary)}` : safe(view.key),
  );
}

function renderFull(view: ToolView, style: Style): string {
  // What a server sends (names, titles, descriptions) is printed with its control characters escaped.
  const out: string[] = [style.bold(safe(view.key)) + (view.title ? `  ${style.dim(safe(view.title))}` : "")];
  if (view.serverInfo) out.push(style.dim(safe(`server ${view.serverInfo.name} ${view.serverInfo.version}`)));
  if (view.description) out.push("", safe(view.description.trim()));
  if (view.signatures) {
    out.push(
      "",
      style.cyan("TypeScript"),
      indent(view.signatures.ts),
      "",
      style.cyan("Python"),
      indent(view.signatures.python),
    );
  }
  out.push("", style.cyan("Input schema"), indent(JSON.stringify(view.inputSchema ?? {}, null, 2)));
  if (view.outputSchema) out.push("", style.cyan("Output schema"), indent(JSON.stringify(view.outputSchema, null, 2)));
  if (view.annotations) out.push("", style.cyan("Annotations"), indent(JSON.stringify(view.annotations)));
  return out.join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

function renderViews(views: ToolView[], style: Style): string {
  if (views.length > 0 && views[0]!.inputSchema !== undefined) {
    return views.map((view) => renderFull(view, style)).join(`\n\n${style.dim("─".repeat(40))}\n\n`);
  }
  return renderLines(views, style).join("\n");
}

/** Servers that failed: a warning per server, so partial results are never mistaken for complete ones. */
export function renderServerWarnings(servers: Record<string, CatalogServer>, style: Style): string[] {
  return Object.entries(servers)
    .filter(([, server]) => server.error)
    .map(
      ([name, server]) => `${style.yellow("warning")} server "${safe(name)}" is missing: ${safe(server.error ?? "")}`,
    );
}

function renderStats(stats: ToolsStats, style: Style, what = "this answer"): string {
  const share = stats.catalogTokens > 0 ? ((100 * stats.answerTokens) / stats.catalogTokens).toFixed(1) : "0";
  return style.dim(
    `tokens (${stats.tokenizer}): ${what} ${stats.answerTokens}, all ${stats.catalogTools} tool definitions as the servers sent them ${stats.catalogTokens} (${share}%)`,
  );
}

export function renderToolsSearch(result: ToolsSearchResult, ctx: CliContext): string {
  const style = ctx.style;
  const out: string[] = [];
  if (result.results.length === 0) out.push(`no tools match "${result.query}"`);
  else out.push(renderViews(result.results, style));
  if (result.stats) out.push("", renderStats(result.stats, style));
  return out.join("\n");
}

export function renderToolsList(result: ToolsListResult, ctx: CliContext): string {
  const out = [result.tools.length === 0 ? "no tools" : renderViews(result.tools, ctx.style)];
  if (result.stats) out.push("", renderStats(result.stats, ctx.style, "this list"));
  return out.join("\n");
}

export function renderToolsShow(result: ToolsShowResult, ctx: CliContext): string {
  return renderFull(result.tool, ctx.style);
}
