/**
 * Numbers as ASCII bytes, written straight into a reused Uint8Array (the GET /v1/measurement `values` text, the
 * export renderers): digits go in one by one, and only a value that is neither a plain integer nor a short decimal
 * goes through String(), so a 1 Hz day costs no per-row strings.
 *
 * Numbers come out in JavaScript's shortest round-trip form (String(v), ECMA-262 Number::toString), which is at once
 * a valid CSV value for the upload parser, a JSON number (RFC 8259 §6) and an R4 `decimal`: Number(text) gives back
 * the same double.
 */

/** Integers below this print the same digit by digit as String() does (it switches to exponents at 1e21). */
export const PLAIN_INTEGER = 1e15;
const POW10 = [1, 10, 100, 1000] as const;
/** Longest String() of a finite double, e.g. "-2.2250738585072014e-308" (24 bytes). */
export const MAX_NUMBER_BYTES = 24;

/** Writes the decimal digits of a non-negative integer below 1e15; returns the position after them. */
export function writeUint(buf: Uint8Array, start: number, value: number): number {
  if (value < 10) {
    buf[start] = 48 + value;
    return start + 1;
  }
  let digits = 1;
  for (let p = 10; p <= value; p *= 10) digits++;
  let v = value;
  for (let at = start + digits - 1; at >= start; at--) {
    const q = Math.floor(v / 10);
    buf[at] = 48 + (v - q * 10);
    v = q;
  }
  return start + digits;
}

/**
 * Writes a finite double as String(v) would, except that -0 is written "0" (as String(-0) and JSON.stringify(-0)
 * also do): the upload stores -0 as 0 (sample-rules.ts `storedValue`), so nothing is lost on a round trip.
 */
export function writeNumber(buf: Uint8Array, start: number, v: number): number {
  if (Math.floor(v) === v && v < PLAIN_INTEGER && v > -PLAIN_INTEGER) {
    if (v < 0) {
      buf[start] = 45; // -
      return writeUint(buf, start + 1, -v);
    }
    return writeUint(buf, start, v); // -0 lands here and prints "0"
  }
  const a = v < 0 ? -v : v;
  // Sensor decimals (36.55, 12.5) have one to three fraction digits: when m / 10^k is exactly the double, the
  // digits of m are String()'s too. A decimal of at most 15 significant digits is the only one that short to round
  // to its double (DBL_DIG = 15), so it is the shortest round-trip form, and from 0.001 up String() uses no exponent.
  for (let k = 1; k <= 3; k++) {
    const scale = POW10[k] as number;
    const m = Math.round(a * scale);
    if (m / scale !== a || m >= PLAIN_INTEGER) continue;
    let pos = start;
    if (v < 0) buf[pos++] = 45;
    const whole = Math.floor(m / scale);
    pos = writeUint(buf, pos, whole);
    buf[pos++] = 46; // .
    let fraction = m - whole * scale;
    let digits = k;
    while (digits > 1 && fraction % 10 === 0) {
      fraction /= 10;
      digits--;
    }
    for (let at = pos + digits - 1; at >= pos; at--) {
      const q = Math.floor(fraction / 10);
      buf[at] = 48 + (fraction - q * 10);
      fraction = q;
    }
    return pos + digits;
  }
  const text = String(v);
  for (let j = 0; j < text.length; j++) buf[start + j] = text.charCodeAt(j);
  return start + text.length;
}
