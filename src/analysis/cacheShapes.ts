/**
 * The shapes of answers kept in the analysis cache, checked when they are read back: the file is written atomically,
 * but it is a file in the project that anything may have changed, and a damaged answer must cost a new analysis,
 * never a crash or a wrong result.
 */
import type { SourceAnalysis, SourceDiagnostic } from "../contracts/compat.js";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isPosition = (value: unknown): boolean =>
  isObject(value) && typeof value.line === "number" && typeof value.column === "number";

export function isSourceDiagnostic(value: unknown): value is SourceDiagnostic {
  return (
    isObject(value) &&
    typeof value.file === "string" &&
    isPosition(value) &&
    (value.severity === "error" || value.severity === "warning") &&
    typeof value.code === "string" &&
    typeof value.message === "string"
  );
}

export function isSourceDiagnostics(value: unknown): value is SourceDiagnostic[] {
  return Array.isArray(value) && value.every(isSourceDiagnostic);
}

export function isSourceAnalysis(value: unknown): value is SourceAnalysis {
  return (
    isObject(value) &&
    typeof value.file === "string" &&
    (value.language === "python" || value.language === "typescript") &&
    isSourceDiagnostics(value.diagnostics) &&
    Array.isArray(value.calls) &&
    value.calls.every(
      (call) =>
        isObject(call) &&
        isObject(call.target) &&
        isPosition(call.location) &&
        Array.isArray(call.args) &&
        Array.isArray(call.reads) &&
        isObject(call.callee),
    ) &&
    Array.isArray(value.imports) &&
    value.imports.every((imp) => isObject(imp) && typeof imp.module === "string" && isPosition(imp.location)) &&
    Array.isArray(value.opaqueModules) &&
    value.opaqueModules.every((module) => typeof module === "string")
  );
}
