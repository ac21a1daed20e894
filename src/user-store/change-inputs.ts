import { epochToIso } from "../lib/time";
import { type MeasurementType, SECONDS_PER_DAY } from "../measurements/types";
import type { ChangeInput } from "./changes";

/** What the UserStore's writes tell the change feed (docs/changes.md "What is recorded"), built from what they wrote. */

/** A change to what lives in D1 (settings, profile, the sharing graph), recorded in the store after the D1 write. */
export interface AccountChange {
  kind: "settings" | "profile" | "share";
  op: "upsert" | "delete";
  /** The thing changed: for `share`, the other user's id (or the invitation's, for someone without an account). */
  id?: string;
  /** The webhook's `data`. */
  data: unknown;
}

/** These kinds are their owner's alone (no share shows them), so they carry no data instant. */
export function accountChangeInput(change: AccountChange): ChangeInput {
  const input: ChangeInput = {
    kind: change.kind,
    op: change.op,
    key: change.id ?? change.kind,
    dataMs: null,
    data: () => change.data,
  };
  if (change.id !== undefined) input.id = change.id;
  return input;
}

export interface WrittenDay {
  /** Unix seconds of the UTC midnight. */
  day: number;
  count: number;
  firstSecond: number;
  lastSecond: number;
}

/**
 * One change per (type, day) written or deleted. The webhook carries the day as stored after the write: its count and
 * first and last sample (none after a deletion). A day dates by its last sample, so a viewer sees it when any of it
 * is at or after sharedSince.
 */
export function measurementChanges(
  type: MeasurementType,
  days: readonly WrittenDay[],
  op: "upsert" | "delete",
): ChangeInput[] {
  return days.map(({ day, count, firstSecond, lastSecond }) => {
    const iso = epochToIso(day).slice(0, 10);
    const deleted = op === "delete";
    return {
      kind: "measurement_day",
      op,
      key: `${type}:${iso}`,
      measurementType: type,
      day: iso,
      dataMs: (day + (deleted ? SECONDS_PER_DAY - 1 : lastSecond)) * 1000,
      data: () => ({
        type,
        day: iso,
        count: deleted ? 0 : count,
        firstDatetime: deleted ? null : epochToIso(day + firstSecond),
        lastDatetime: deleted ? null : epochToIso(day + lastSecond),
      }),
    };
  });
}

/** A personal record's change, dated as the record's lists cut it (a session's start, a check-in's moment …). */
export function recordChange(
  kind: "session" | "checkin" | "day_feedback" | "insight",
  op: "upsert" | "delete",
  id: string,
  dataAt: string,
  data: () => unknown,
): ChangeInput {
  return { kind, op, key: id, id, dataMs: Date.parse(dataAt), data };
}

/**
 * The changes of a batch of new records: `ids[i]` was created from `items[i]`, dated by `dataAt`; the webhook's data
 * is the stored record, read only when an endpoint listens.
 */
export function createdChanges<T>(
  kind: "session" | "checkin" | "day_feedback",
  ids: readonly string[],
  items: readonly T[],
  dataAt: (item: T) => string,
  find: (id: string) => unknown,
): ChangeInput[] {
  return ids.map((id, i) => recordChange(kind, "upsert", id, dataAt(items[i] as T), () => find(id)));
}
