/**
 * The named ways this toolkit validates with JSON Schema. A profile fixes everything that decides what "valid" means
 * (dialect, formats, defaults, strictness), so one schema validates the same way wherever it is used: a skill's input
 * in `skills run` and in `skills test`, a tool's inputSchema in every run. docs/architecture.md lists them.
 */

export type SchemaProfile =
  | "toolArguments"
  | "skillInput"
  | "skillOutput"
  | "testExpectation"
  | "metaSchema"
  | "fileFormat";

export interface ProfileSettings {
  /**
   * `foreign`: written by a server or a skill author. The dialect comes from `$schema` (draft-07 and older: draft-07;
   * 2020-12, 2019-09 or none: 2020-12, as MCP and our manifest say); `$schema` and the top-level `$id` are dropped
   * before compiling, so schemas from different sources never clash in one cache. `own`: the package's schemas/.
   */
  source: "foreign" | "own";
  /** Check `format` (date-time, email, uri, ...). */
  formats: boolean;
  /** Fill in `default` values (the value is changed in place). */
  useDefaults: boolean;
  /**
   * ajv strict mode: unknown keywords and formats in the schema are errors. For our own schemas only; in every profile
   * a schema its dialect's meta-schema refuses does not compile.
   */
  strict: boolean;
  /**
   * `first`: stop at the first error (cheapest; hot paths). `all`: list every error. `firstThenAll`: answer with a
   * first-error validator and compile the all-errors one only for a value that fails (a cold `skills validate` stays
   * fast).
   */
  errors: "first" | "all" | "firstThenAll";
}

const FOREIGN = { source: "foreign", strict: false, useDefaults: false, formats: true } as const;

export const PROFILES: Readonly<Record<SchemaProfile, ProfileSettings>> = {
  /** A program's arguments against the tool's inputSchema, on every tool call. */
  toolArguments: { ...FOREIGN, errors: "first" },
  /** The input of `skills run`/`exec` and of test cases against the manifest's `input`; defaults are filled in. */
  skillInput: { ...FOREIGN, useDefaults: true, errors: "all" },
  /** A skill's result against the manifest's `output`. */
  skillOutput: { ...FOREIGN, errors: "first" },
  /** `expect.schema` of a test case against the run's result. */
  testExpectation: { ...FOREIGN, errors: "all" },
  /**
   * A skill author's `input`/`output` schema against its dialect's meta-schema (`skills validate`). Formats are not
   * checked here: patterns are compiled separately, with a message that says which.
   */
  metaSchema: { ...FOREIGN, formats: false, errors: "firstThenAll" },
  /** The package's own file formats (schemas/: manifest, SKILL.md frontmatter, configs, test cases, cassettes). */
  fileFormat: {
    source: "own",
    strict: true,
    useDefaults: false,
    formats: false,
    errors: "firstThenAll",
  },
};
