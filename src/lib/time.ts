export const nowIso = (): string => new Date().toISOString();
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Normalizes an ISO-8601 date or date-time to `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function toIso(value: string): string {
  return new Date(value).toISOString();
}
