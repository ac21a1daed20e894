import { MAX_NUMBER_BYTES, writeNumber, writeUint } from "../lib/ascii-number";
import type { DaySamples } from "./day-samples";

/**
 * The contract's per-day `values` field (§4 GET /v1/measurement): a string holding a JSON object that maps
 * seconds-after-midnight to `[VALUE, QUALITY]`, e.g. `{"0":[75,4],"1":[76,4]}`. Numbers use JavaScript's shortest
 * round-trip form (String(value)), so a client's JSON.parse gives back the stored doubles exactly.
 *
 * The text is written as ASCII bytes and decoded once: string concatenation of 86,400 entries builds a rope that
 * costs 20-50 ms to flatten, the byte writer ~2 ms.
 */

/** The object text, e.g. `{"0":[75,4]}`. */
export function renderValues(s: DaySamples): string {
  return render(s, false);
}

/**
 * The same text already encoded as a JSON string literal, quotes included: `"{\"0\":[75,4]}"`. Splice it into a
 * response body as the value of `values` to skip a JSON.stringify pass over ~1.3 MB per 1 Hz day. Only the quotes
 * need escaping: the text holds nothing but digits, '-', '.', 'e', '+', brackets, braces, commas and colons.
 */
export function renderValuesJsonString(s: DaySamples): string {
  return render(s, true);
}

/**
 * The same JSON string literal as bytes (a fresh copy, the caller may keep it): what a streamed response enqueues
 * as is, with no decode to a string and encode back (~1.3 MB each way per 1 Hz day).
 */
export function renderValuesJsonBytes(s: DaySamples): Uint8Array {
  const length = write(s, true); // first: it may replace the buffer
  return buffer.slice(0, length);
}

const QUOTE = 34;
const BACKSLASH = 92;
/** Longest entry: `\"86399\":[` + the longest double + `,4],`. */
const ENTRY_BYTES = 12 + MAX_NUMBER_BYTES + 4;

// Reused across calls (at most ~4 MB, for a full day): rendering a month allocates it once, not 31 times.
let buffer = new Uint8Array(0);
const decoder = new TextDecoder();

function render(s: DaySamples, escaped: boolean): string {
  const length = write(s, escaped); // first: it may replace the buffer
  return decoder.decode(buffer.subarray(0, length));
}

/** Writes the text into the shared buffer; answers its length. */
function write(s: DaySamples, escaped: boolean): number {
  const { seconds, values, quality } = s;
  const n = seconds.length;
  const size = 8 + n * ENTRY_BYTES;
  if (buffer.length < size) buffer = new Uint8Array(size);
  const buf = buffer;
  let pos = 0;
  if (escaped) buf[pos++] = QUOTE;
  buf[pos++] = 123; // {
  for (let i = 0; i < n; i++) {
    if (i > 0) buf[pos++] = 44; // ,
    if (escaped) buf[pos++] = BACKSLASH;
    buf[pos++] = QUOTE;
    pos = writeUint(buf, pos, seconds[i] as number);
    if (escaped) buf[pos++] = BACKSLASH;
    buf[pos++] = QUOTE;
    buf[pos++] = 58; // :
    buf[pos++] = 91; // [
    pos = writeNumber(buf, pos, values[i] as number);
    buf[pos++] = 44; // ,
    buf[pos++] = 48 + (quality[i] as number);
    buf[pos++] = 93; // ]
  }
  buf[pos++] = 125; // }
  if (escaped) buf[pos++] = QUOTE;
  return pos;
}
