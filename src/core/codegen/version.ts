/**
 * Bumped whenever the generated code changes for the same tools (naming, types, layout). Caches of generated trees
 * (the sandbox keeps one per tool set) include it in their key. Its own file so the cache can read it without
 * loading the generator.
 */
export const SDK_FORMAT_VERSION = 1;
