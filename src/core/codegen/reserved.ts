/**
 * Words a generated identifier must not be. A name that lands on one of these gets a trailing `_` (`class_`,
 * `list_`, `delete_`), which keeps it readable and cannot collide with another sanitised name (those never end in `_`).
 */

const PYTHON_KEYWORDS = (
  "False None True and as assert async await break class continue def del elif else except finally for from " +
  "global if import in is lambda nonlocal not or pass raise return try while with yield"
).split(" ");

/** Soft keywords: legal names, but confusing next to `match`/`case` statements. */
const PYTHON_SOFT_KEYWORDS = ["match", "case", "type"];

const PYTHON_BUILTINS = (
  "abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex " +
  "copyright credits delattr dict dir divmod enumerate eval exec exit filter float format frozenset getattr " +
  "globals hasattr hash help hex id input int isinstance issubclass iter len license list locals map max " +
  "memoryview min next object oct open ord pow print property quit range repr reversed round set setattr slice " +
  "sorted staticmethod str sum super tuple type vars zip"
).split(" ");

/** Names the generated modules themselves use, or that the runtime exports. */
const SDK_NAMES = ["call_tool", "call_tool_async", "tool_error", "annotations", "index", "servers", "typing"];

/** JS reserved words and globals, then TypeScript contextual keywords (legal names, but they read like syntax). */
const JS_RESERVED = (
  "break case catch class const continue debugger default delete do else enum export extends false finally for " +
  "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
  "yield let static implements interface package private protected public await async arguments eval undefined " +
  "NaN Infinity globalThis abstract any as asserts bigint boolean declare from get infer is keyof module " +
  "namespace never number object of readonly require set string symbol type unique unknown constructor prototype"
).split(" ");

const TS_SDK_NAMES = ["callTool", "callToolAsync", "index"];

/**
 * Type names a generated module must not declare: Python typing names and builtins used in annotations, then
 * TypeScript standard types.
 */
const TYPE_NAMES = (
  "Any Literal NotRequired Required Optional TypedDict Union None True False Tuple List Dict Exception ToolError " +
  "Promise Record Array Object Partial Readonly Exclude Extract Pick Omit NonNullable ReturnType Awaited Function " +
  "String Number Boolean Symbol BigInt Error Date Map Set"
).split(" ");

export const PYTHON_RESERVED: ReadonlySet<string> = new Set([
  ...PYTHON_KEYWORDS,
  ...PYTHON_SOFT_KEYWORDS,
  ...PYTHON_BUILTINS,
  ...SDK_NAMES,
]);
export const PYTHON_KEYWORD_SET: ReadonlySet<string> = new Set(PYTHON_KEYWORDS);
export const TS_RESERVED: ReadonlySet<string> = new Set([...JS_RESERVED, ...TS_SDK_NAMES]);
export const TYPE_RESERVED: ReadonlySet<string> = new Set(TYPE_NAMES);
