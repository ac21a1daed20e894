/**
 * The time vocabulary of the API, in one place. Instants are ISO-8601 UTC text (`YYYY-MM-DDTHH:mm:ss.sssZ`, whose
 * text order is time order), epoch milliseconds (`…Ms`) or Unix seconds; a day is a `YYYY-MM-DD` date, meaning the
 * UTC day unless a route says local.
 */

export const SECONDS_PER_DAY = 86_400;
export const DAY_MS = SECONDS_PER_DAY * 1000;

export const nowIso = (): string => new Date().toISOString();
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Normalizes an ISO-8601 date or date-time to `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function toIso(value: string): string {
  return new Date(value).toISOString();
}

/** ISO UTC midnight starting a `YYYY-MM-DD` day, and the one after it. */
export const dayStart = (day: string): string => `${day}T00:00:00.000Z`;
export const dayAfter = (day: string): string => new Date(Date.parse(day) + DAY_MS).toISOString();

/** Unix seconds as `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export const epochToIso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** The later and the earlier of two ISO-8601 UTC datetimes of the same shape (they order as strings). */
export const laterIso = (a: string, b: string): string => (a < b ? b : a);
export const earlierIso = (a: string, b: string): string => (a < b ? a : b);

/** Unix seconds of the UTC midnight of a `YYYY-MM-DD` day. */
export const dayToEpoch = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;
