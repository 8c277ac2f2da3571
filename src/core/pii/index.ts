/** PII tokenization: detectors, policy, scanning, and the bridge interceptor. Pure: no IO. */
export { createPiiInterceptor, type PiiInterceptor } from "./interceptor.js";
export { policyFromManifest, isPiiMode, PII_MODES, DEFAULT_MIN_CONFIDENCE } from "./policy.js";
export { scanPii, scanText, scanValue, scanJsonText, type ScanFormat, type ScanPiiOptions } from "./scan.js";
export { detectInString, resolveOverlaps } from "./detect.js";
export { JsonSyntaxError } from "./jsonLexer.js";
export { TokenVault } from "./vault.js";
export { tokenizeJson, tokenizeJsonText, tokenizeTextOrJson, restoreJson, restoreString } from "./tokenize.js";
export { luhnValid, ibanValid, ssnValid, ipv4Valid, cardIssuerValid, shannonEntropy } from "./validators.js";
export { keyContext, keyWords, type KeyContext } from "./keyContext.js";
export * from "./types.js";
