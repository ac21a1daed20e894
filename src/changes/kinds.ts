import type { ShareableDataType } from "../db/schema";
import { MEASUREMENT_TYPES, type MeasurementType } from "../measurements/types";

/**
 * The vocabulary of the change feed (GET /v1/changes) and of webhooks (docs/changes.md), pure: what kinds of thing
 * change, which event each change is, and which share type lets a viewer see it.
 */

export const CHANGE_KINDS = [
  "measurement_day",
  "session",
  "checkin",
  "day_feedback",
  "insight",
  "settings",
  "profile",
  "share",
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_OPS = ["upsert", "delete"] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/** The webhook event of each (kind, op) that can happen. Day feedback and insights are never deleted. */
const EVENT_OF = {
  measurement_day: { upsert: "measurement.updated", delete: "measurement.deleted" },
  session: { upsert: "session.updated", delete: "session.deleted" },
  checkin: { upsert: "checkin.updated", delete: "checkin.deleted" },
  day_feedback: { upsert: "day_feedback.updated" },
  insight: { upsert: "insight.updated" },
  settings: { upsert: "settings.updated" },
  profile: { upsert: "profile.updated" },
  share: { upsert: "share.updated", delete: "share.deleted" },
} as const satisfies Record<ChangeKind, Partial<Record<ChangeOp, string>>>;

type EventTable = typeof EVENT_OF;
export type WebhookEvent = {
  [K in keyof EventTable]: EventTable[K][keyof EventTable[K]];
}[keyof EventTable];

export const WEBHOOK_EVENTS = Object.values(EVENT_OF).flatMap((ops) => Object.values(ops)) as WebhookEvent[];

export function eventOf(kind: ChangeKind, op: ChangeOp): WebhookEvent {
  const event = (EVENT_OF[kind] as Partial<Record<ChangeOp, WebhookEvent>>)[op];
  // A (kind, op) without an event is a programming error: the table above lists everything the stores write.
  if (event === undefined) throw new Error(`no webhook event for ${kind} ${op}`);
  return event;
}

/** The share type that shows a kind to a viewer; null: the kind is the owner's alone (settings, profile, shares). */
const SHARE_TYPE_OF: Record<Exclude<ChangeKind, "measurement_day">, ShareableDataType | null> = {
  session: "SESSIONS",
  checkin: "CHECKINS",
  day_feedback: "DAY_FEEDBACK",
  insight: "INSIGHTS",
  settings: null,
  profile: null,
  share: null,
};

/** What a viewer's feed shows: the record kinds and measurement types their share grants, from `sinceMs` on. */
export interface FeedCut {
  kinds: ChangeKind[];
  measurementTypes: MeasurementType[];
  sinceMs: number;
}

/**
 * The cut of a viewer's feed from the types their share grants (each already passed `grantRead`); null when the
 * share grants nothing the feed carries.
 */
export function feedCut(granted: ReadonlySet<ShareableDataType>, sinceMs: number): FeedCut | null {
  const kinds = (Object.keys(SHARE_TYPE_OF) as (keyof typeof SHARE_TYPE_OF)[]).filter((kind) => {
    const type = SHARE_TYPE_OF[kind];
    return type !== null && granted.has(type);
  });
  const measurementTypes = MEASUREMENT_TYPES.filter((type) => granted.has(type));
  if (kinds.length === 0 && measurementTypes.length === 0) return null;
  return { kinds, measurementTypes, sinceMs };
}
