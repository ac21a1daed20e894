import { DAY_MS, dayToEpoch } from "../lib/time";

/**
 * Local calendar days in an IANA time zone, through Intl (the Workers runtime carries the full tz database).
 * A local day is a `YYYY-MM-DD` date; its bounds are the Unix seconds of its local midnights (23, 24 or 25 hours).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA zone name the runtime knows (e.g. "Europe/Paris", "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at Unix second `t`, in seconds (east positive). */
export function zoneOffset(zone: string, t: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(t * 1000));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round(asUtc / 1000 - Math.floor(t));
}

/** Unix seconds of local wall-clock time `hour`:00 on `day` (the earlier instant when a DST change repeats it). */
export function localTime(day: string, hour: number, zone: string): number {
  const wall = dayToEpoch(day) + hour * 3600;
  // Two fixed-point steps settle the offset across a DST change.
  let t = wall - zoneOffset(zone, wall);
  t = wall - zoneOffset(zone, t);
  return t;
}

/** Unix seconds of the local midnight starting `day`. */
export const localMidnight = (day: string, zone: string): number => localTime(day, 0, zone);

/** The local date of Unix second `t`. */
export function localDate(t: number, zone: string): string {
  return new Date((t + zoneOffset(zone, t)) * 1000).toISOString().slice(0, 10);
}

/** `day` plus `n` calendar days (n may be negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The days start..end inclusive. */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Monday of the ISO week holding `day`, and the first of its month. */
export function weekStart(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}
export const monthStart = (day: string): string => `${day.slice(0, 7)}-01`;
