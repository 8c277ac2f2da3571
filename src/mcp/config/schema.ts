/** Validates a parsed .mcp.json against schemas/mcp-config.schema.json and maps schema errors to Problems. */
import type { Problem } from "../../contracts/problem.js";
import type { SchemaError } from "../../contracts/schema.js";
import { escapePointerToken, type JsonPosition, nearestPosition } from "../../core/json/index.js";
import { schemaPath, schemaValidator } from "../../store/schemas.js";

export const MCP_CONFIG_SCHEMA_PATH = schemaPath("mcp-config");

export function validateMcpConfigShape(value: unknown, file: string, positions: Map<string, JsonPosition>): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of schemaValidator("mcp-config").validate(value)) {
    // if/then/else repeats the branch's own errors; the branch errors are the useful ones.
    if (error.keyword === "if") continue;
    const problem = toProblem(error, file, positions);
    const key = `${problem.pointer} ${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function toProblem(error: SchemaError, file: string, positions: Map<string, JsonPosition>): Problem {
  let pointer = error.pointer;
  let message = `${pointer || "the document"} ${error.message}`;
  let hint: string | undefined;
  const params = error.params;
  if (error.keyword === "additionalProperties") {
    const key = String(params.additionalProperty);
    pointer = `${pointer}/${escapePointerToken(key)}`;
    message = `unknown property "${key}" at ${error.pointer || "the top level"}`;
    hint = knownKeysHint(error.pointer);
  } else if (error.keyword === "required") {
    message = `${error.pointer || "the document"} is missing "${String(params.missingProperty)}"`;
    hint =
      params.missingProperty === "mcpServers"
        ? 'write {"mcpServers": {"<name>": {"command": "...", "args": []}}}'
        : params.missingProperty === "command"
          ? 'a stdio server needs "command" (or set "type": "http" with a "url")'
          : undefined;
  } else if (error.keyword === "propertyNames" || error.keyword === "pattern") {
    if (params.propertyName !== undefined) {
      pointer = `${pointer}/${escapePointerToken(String(params.propertyName))}`;
      message = `server name "${String(params.propertyName)}" is not allowed`;
      hint = "use letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64 characters";
    } else if (error.pointer.endsWith("/url")) {
      hint = "the url must start with http:// or https://";
    }
  } else if (error.keyword === "const" && error.pointer.endsWith("/type")) {
    message = `${error.pointer} must be "stdio" or "http"`;
    hint = 'use "http" for remote servers (Streamable HTTP); leave it out for a subprocess (stdio)';
  }
  const position = nearestPosition(pointer, positions);
  return {
    severity: "error",
    code: "MCP_CONFIG_SCHEMA",
    message,
    file,
    line: position.line,
    column: position.column,
    pointer,
    ...(hint ? { hint } : {}),
  };
}

function knownKeysHint(parent: string): string {
  if (parent === "") return 'the file has one key, "mcpServers"';
  return "stdio servers take command, args, env, cwd; http servers take type, url, headers; both take disabled, timeout, description";
}
