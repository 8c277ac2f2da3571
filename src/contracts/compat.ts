/**
 * Tool versioning and compatibility as every layer sees it: the lock file (tools.lock.json), what a skill's code
 * uses of its tools (found by static analysis), the rules of the schema diff, and the verdicts of `skills compat`.
 */
import type { JsonObject } from "./json.js";
import type { ServerInfo } from "./tools.js";

/** Verdicts, from best to worst. `error`: the skill or dependency could not be checked (no lock, server down). */
export type CompatStatus = "compatible" | "warning" | "migration-needed" | "incompatible";
export type CheckStatus = CompatStatus | "error";

/** Which side of a tool a change is on: what the skill sends, what it reads, or the tool as a whole. */
export type Direction = "request" | "response" | "tool";
/** graphql-inspector's criticality: breaking changes break callers, dangerous ones may. */
export type RuleEffect = "breaking" | "dangerous" | "non-breaking";

/** What of a skill's code makes a change "used" (decides whether it can be worse than a warning). */
export type UsageKind =
  /** the tool is called at all */
  | "called"
  /** the argument (or one below it) is passed */
  | "sent"
  /** the argument is NOT passed (the server's default applies) */
  | "omitted"
  /** the output field (or one below or above it) is read */
  | "read"
  /** nothing in the code: the tool as it was reviewed changed */
  | "review";

export interface CompatRule {
  /** Stable id: never renamed, never reused. */
  id: string;
  direction: Direction;
  effect: RuleEffect;
  usage: UsageKind;
  /** A rename the toolkit can apply with `skills compat --fix`. */
  mechanical: boolean;
  summary: string;
}

/** One raw `tools/list` entry as pinned in a lock (the MCP Tool object, without anything added by the catalog). */
export interface LockedToolEntry {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations?: JsonObject;
  _meta?: JsonObject;
}

/** One dependency in tools.lock.json. */
export interface LockedTool {
  /** Server name as configured in .mcp.json. */
  server: string;
  /** The server's `initialize` answer. */
  serverInfo: ServerInfo;
  /** MCP protocol version negotiated with the server. */
  protocolVersion: string;
  /** The version ranges resolve against: the tool's `_meta.version` when the server publishes one, else serverInfo's. */
  version: string;
  /** `sha256:` of canonical { inputSchema, outputSchema }: the fingerprint cassettes carry too. */
  fingerprint: string;
  /** sha256 of the canonical JSON of `tool`: any change (description, annotations) changes it. */
  sha256: string;
  tool: LockedToolEntry;
}

export const LOCKFILE_VERSION = 1;

export interface ToolsLock {
  lockfileVersion: number;
  /** `server/tool` -> what it looked like when the skill was locked; keys sorted. */
  tools: Record<string, LockedTool>;
}

/** A position in a skill's source; 1-based. `file` is relative to the skill folder. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A syntax error (Python `ast`, TypeScript parser) or a type error, found by the same parse as the usage. */
export interface SourceDiagnostic extends SourceLocation {
  severity: "error" | "warning";
  /** `SyntaxError`, `TS1005`, `TS2339`, ... */
  code: string;
  message: string;
}

export type ScalarValue = string | number | boolean | null;

/** A data path inside arguments or a result: keys, and `*` for any array item or map value. */
export type DataPath = string[];

/** Offsets [start, end) in the file's text (UTF-16 code units, as JavaScript strings count). */
export type Span = [number, number];

export interface ArgumentUse {
  /** The key sent (Python keyword arguments are mapped to the tool's keys). */
  path: DataPath;
  /** Where the key is written. */
  location: SourceLocation;
  /** The key as written (`city=`, `city:`; for --fix). Absent for a key written as a shorthand `{ city }`. */
  keySpan?: Span;
  /** `{ city }`: the key is also the name of the variable passed. */
  shorthand?: boolean;
  /** Set when the value is a literal in the code (`units="imperial"`). */
  value?: ScalarValue;
  /** False when the value comes from elsewhere (a variable, the input). */
  constant: boolean;
  /** The literal value as written (for --fix of a renamed enum value). */
  valueSpan?: Span;
}

export interface FieldRead {
  path: DataPath;
  location: SourceLocation;
  /** The value leaves what the analysis can follow (returned, passed on): every field below `path` may be used. */
  escapes: boolean;
  /** The last key as written: a string literal (`r["temp"]`, `.get("temp")`), a name (`r.temp`), or a shorthand
   * destructuring (`{ temp }`). For --fix. */
  key?: { span: Span; style: "string" | "name" | "shorthand" };
}

export interface ToolCallSite {
  location: SourceLocation;
  /** False when only a reference to the function was seen (`pool.map(get_file_info, paths)`). */
  direct: boolean;
  args: ArgumentUse[];
  /** Set when the arguments are not all visible (`**kwargs`, a spread, an object built elsewhere). */
  dynamicArgs?: SourceLocation;
  reads: FieldRead[];
  /** The function's name where it is called (`get_forecast`, the `getForecast` of `weather.getForecast`). */
  callee: { name: string; location: SourceLocation; span: Span };
}

/** An import of a tool's SDK function (`from servers.weather import get_alerts`), for --fix. */
export interface ToolImport {
  name: string;
  location: SourceLocation;
  span: Span;
}

/** What a skill's code does with one tool. */
export interface ToolUsage {
  /** `server/tool` */
  tool: string;
  calls: ToolCallSite[];
  imports: ToolImport[];
}

/** A call to an SDK function of a tool the manifest does not declare. */
export interface UndeclaredToolUse {
  /** The best guess at `server/tool` (server folder and the function's tool name). */
  tool: string;
  /** What the code imports or calls, e.g. `servers.weather.get_alerts`. */
  symbol: string;
  location: SourceLocation;
}

export interface SkillUsage {
  /** Files analysed, relative to the skill folder. */
  files: string[];
  tools: Record<string, ToolUsage>;
  undeclared: UndeclaredToolUse[];
  /** Syntax errors: the files they are in were analysed as far as they could be parsed. */
  diagnostics: SourceDiagnostic[];
  /** `from servers.x import *` / `import * as x from "servers/x"` used dynamically: every tool of these servers may
   * be used. */
  opaqueServers: string[];
}

/** What an analyser found in one source file, before tool names are resolved (see core/compat/usage.ts). */
export type CallTarget =
  /** A function of the generated SDK: server folder + the name imported or called (`weather`, `get_forecast`). */
  | { kind: "sdk"; module: string; name: string }
  /** The runtime's generic `call_tool("weather", "get_forecast", {...})`; undefined when not a literal. */
  | { kind: "generic"; server?: string; tool?: string };

export interface RawCall extends ToolCallSite {
  target: CallTarget;
}

export interface RawImport extends ToolImport {
  module: string;
}

export interface SourceAnalysis {
  /** Relative to the skill folder. */
  file: string;
  language: "python" | "typescript";
  diagnostics: SourceDiagnostic[];
  calls: RawCall[];
  imports: RawImport[];
  /** Server folders imported as a whole and used in ways the analysis cannot follow (`getattr`, star imports). */
  opaqueModules: string[];
}

/** One change between the locked and the live (or newer) tool, as `--json` shows it. */
export interface CompatChange {
  rule: string;
  direction: Direction;
  /** JSON pointer into the tool's tools/list entry: `/inputSchema/properties/units/enum`. */
  path: string;
  /** What this change means for this skill, after usage. */
  severity: CompatStatus;
  used: boolean;
  uses: { file: string; line: number }[];
}

export interface DependencyVerdict {
  /** `server/tool` */
  tool: string;
  range: string;
  locked: { server: string; version: string } | null;
  live: { server: string; version: string } | null;
  status: CheckStatus;
  changes: CompatChange[];
  hints: string[];
}

export interface SkillVerdict {
  name: string;
  status: CheckStatus;
  dependencies: DependencyVerdict[];
  /** Set when the skill could not be checked at all (no lock, a lock that is not JSON, a skill that does not load). */
  error?: { code: string; message: string; file?: string; hint?: string };
}
