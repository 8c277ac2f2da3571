/** JSON Schema validation behind the SchemaValidator interface (src/contracts/schema.ts): profiles, one factory. */
export { type ProfileSettings, PROFILES, type SchemaProfile } from "./profiles.js";
export { dialectOf, metaSchemaErrors, schemaValidator } from "./validator.js";
export { precompiledModule, precompiledName, precompiledSchemaModule, warmPrecompiler } from "./precompile.js";
export { evaluatePrecompiled, registerPrecompiled, type PrecompiledTable } from "./precompiled.js";
