/** Shapes inside the compat core: a change as the diff finds it, before usage decides what it means for a skill. */
import type { DataPath, Direction } from "../../contracts/compat.js";
import type { RuleId } from "./rules.js";
import type { Schema } from "./normalize.js";

export interface Change {
  rule: RuleId;
  direction: Direction;
  /** JSON pointer into the tool's tools/list entry: `/inputSchema/properties/units/enum`. */
  path: string;
  /** Where in the arguments (request) or the result (response) the change is: `["daily", "*", "high"]`. */
  field: DataPath;
  /** The keyword that changed (`maximum`, `enum`, `type`, ...). */
  keyword?: string;
  before?: unknown;
  after?: unknown;
  /** A renamed tool, argument, field or enum value. */
  rename?: { from: string; to: string };
  /** The new schema at `field` (to check the constants a skill passes against it). */
  schema?: Schema;
  /** additionalProperties closed: the keys the object still accepts. */
  allowed?: string[];
  /** The server's own words (a deprecation notice, the new description). */
  text?: string;
}
