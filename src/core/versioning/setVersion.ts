/**
 * A new `version:` in manifest.yaml's text, everything else byte for byte (comments, flow maps, quotes): only the
 * version scalar's own characters are replaced. Pure.
 */
import { isMap, isScalar, parseDocument } from "yaml";

/** The text with `version` set; undefined when the manifest has no top-level scalar `version` to replace. */
export function setManifestVersion(text: string, version: string): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const node = doc.contents.get("version", true);
  if (!isScalar(node) || !node.range) return undefined;
  const [start, end] = node.range;
  const quote = node.type === "QUOTE_DOUBLE" ? '"' : node.type === "QUOTE_SINGLE" ? "'" : "";
  return `${text.slice(0, start)}${quote}${version}${quote}${text.slice(end)}`;
}
