/**
 * Labels in free text are context like field names: "Phone: 555-0100", "tel. 4155552671", "SSN# 078051120".
 * Only the value right after the label is taken, so a label cannot turn a whole paragraph of numbers into PII.
 * Text that is almost JSON keeps its field context too: a label and its value may be quoted, and the label may be a
 * field name built on it: `{'phone': '4155552671'}` (a Python dict), `"phone": "4155552671"` inside a log line,
 * `phone='4155552671'`, `home_phone: ...`, `"ssn_number": "078051120"`.
 */
import type { PiiMatch } from "../../types.js";
import { ssnValid } from "../validators.js";
import { type TextFeatures, cleanRight, digitsOf } from "./text.js";

// A field name around the label word: `home_phone`, `phone_number`, `phoneNo`, `ssn-no`. No other letters or digits
// may touch it, so `microphone`, `telemetry` or `phone_count` are not labels.
const PHONE_LABEL_RE =
  /(?<![A-Za-z0-9])(?<![^A-Za-z0-9][_-])(?<!^[_-])(?:phone|tel|telephone|mobile|cell|fax)(?:[_-]?(?:number|num|no))?(?![A-Za-z0-9_-])\.?(?:\s*(?:no\.?|number|#))?["']?\s*[:#=]?\s*["']?(\+?\(?\d[\d ().-]{5,20}\d)/gi;
const SSN_LABEL_RE =
  /(?<![A-Za-z0-9])(?<![^A-Za-z0-9][_-])(?<!^[_-])(?:ssn|social[ _-]security(?:[ _-]number|[ _-]no\.?)?)(?:[_-]?(?:number|num|no))?(?![A-Za-z0-9_-])["']?\s*[:#=]?\s*["']?(\d{3}([- ]?)\d{2}\2\d{4})\b/gi;

export function detectLabelledPhone(text: string, f: TextFeatures, out: PiiMatch[]): void {
  if (f.maxRun < 7 || f.letterRun < 3) return;
  PHONE_LABEL_RE.lastIndex = 0;
  for (let m = PHONE_LABEL_RE.exec(text); m; m = PHONE_LABEL_RE.exec(text)) {
    const value = m[1]!.trimEnd();
    const start = m.index + m[0].length - m[1]!.length;
    const end = start + value.length;
    const n = digitsOf(value).length;
    if (n < 7 || n > 15 || /[ .-]{2,}/.test(value) || /^\d{4}-\d{2}-\d{2}/.test(value)) continue;
    if (!cleanRight(text, end)) continue;
    out.push({ type: "phone", start, end, confidence: 0.9 });
  }
}

export function detectLabelledSsn(text: string, f: TextFeatures, out: PiiMatch[]): void {
  if (f.maxRun < 9 || f.letterRun < 3) return;
  SSN_LABEL_RE.lastIndex = 0;
  for (let m = SSN_LABEL_RE.exec(text); m; m = SSN_LABEL_RE.exec(text)) {
    const value = m[1]!;
    const d = digitsOf(value);
    if (!ssnValid(d.slice(0, 3), d.slice(3, 5), d.slice(5))) continue;
    const start = m.index + m[0].length - value.length;
    out.push({ type: "ssn", start, end: start + value.length, confidence: 0.95 });
  }
}
