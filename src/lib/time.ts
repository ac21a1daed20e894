/** Clock reads and the conversions between Unix seconds, ISO-8601 text and `YYYY-MM-DD` UTC days. */

export const nowIso = (): string => new Date().toISOString();
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Normalizes an ISO-8601 date or date-time to `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function toIso(value: string): string {
  return new Date(value).toISOString();
}

/** Unix seconds as `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export const epochToIso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** Unix seconds of the UTC midnight of a `YYYY-MM-DD` day. */
export const dayToEpoch = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;
