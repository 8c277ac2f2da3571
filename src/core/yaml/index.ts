export { type Locate, type ParseYamlOptions, type ParseYamlResult, parseYaml } from "./parseYaml.js";
export { type LocateTarget, locatePointer, type Position } from "./locate.js";
