/** The library API: the same functions the CLI calls. */
export * from "./errors.js";
export type { Problem, ValidationResult, Severity } from "./core/problem.js";
export type { ToolInfo, ToolBackend, CallToolResult } from "./mcp/types.js";
