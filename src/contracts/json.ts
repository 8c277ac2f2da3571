/** JSON as it crosses a boundary: an object whose values are not yet narrowed. */
export type JsonObject = { [key: string]: unknown };
