/**
 * PII tokenization, the one surface the rest of the toolkit uses. Pure: no IO. Inside, by stage (each imports only
 * the ones above it): detect/ (detectors, key context, checksums) -> json/ (PII's own fast JSON readers and pointer
 * rules) -> vault/ (value <-> token map, watch index, restore, audit) -> tokenize/ -> scan.ts and interceptor.ts.
 */
export { createPiiInterceptor, type PiiInterceptor } from "./interceptor.js";
export { DEFAULT_MIN_CONFIDENCE, isPiiMode, PII_MODES, policyFromManifest } from "./policy.js";
export { type ScanFormat, type ScanPiiOptions, scanJsonText, scanPii, scanText, scanValue } from "./scan.js";
export { detectInString, resolveOverlaps } from "./detect/detect.js";
export { type KeyContext, keyContext, keyWords } from "./detect/keyContext.js";
export { cardIssuerValid, ibanValid, ipv4Valid, luhnValid, shannonEntropy, ssnValid } from "./detect/validators.js";
export { JsonSyntaxError } from "./json/lexer.js";
export { looksLikeJson } from "./json/sniff.js";
export { tokenPrefix, TokenVault } from "./vault/vault.js";
export { restoreJson, restoreString } from "./vault/restore.js";
export { tokenizeJson, tokenizeJsonText, tokenizeTextOrJson } from "./tokenize/json.js";
export * from "./types.js";
