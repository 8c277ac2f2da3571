/**
 * A tool as search_tools shows it to a model, at one detail level and, for `full`, in one language: the import line
 * and the signature the generated SDK really has, the description, and the schemas without their `$schema` noise.
 */
import type { JsonObject } from "../../contracts/json.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { renderSignatures, sdkNames, sdkServerName } from "../codegen/index.js";
import { type Detail, firstSentence } from "../discovery/index.js";

export type SignatureLanguage = "python" | "typescript";

export function servedToolView(
  tool: ToolInfo,
  detail: Detail,
  language: SignatureLanguage,
  catalog: ToolInfo[],
): JsonObject {
  const key = `${tool.server}/${tool.name}`;
  if (detail === "name") return { key };
  const summary = firstSentence(tool.description);
  if (detail === "summary") return summary ? { key, summary } : { key };
  const servers = [...new Set(catalog.map((other) => other.server))];
  const module = sdkServerName(tool.server, servers);
  const names = sdkNames(tool, catalog);
  const signatures = renderSignatures(tool);
  const view: JsonObject = { key };
  if (tool.title) view.title = tool.title;
  if (tool.description) view.description = tool.description;
  view.import =
    language === "python"
      ? `from servers.${module} import ${names.python}`
      : `import { ${names.ts} } from "servers/${module}";`;
  view.signature = language === "python" ? signatures.python : signatures.ts;
  view.input_schema = withoutDialect(tool.inputSchema);
  if (tool.outputSchema) view.output_schema = withoutDialect(tool.outputSchema);
  return view;
}

/** The schema without its top-level `$schema` (a URL that tells a model nothing). */
function withoutDialect(schema: JsonObject): JsonObject {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
