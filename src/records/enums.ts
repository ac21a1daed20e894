import { z } from "@hono/zod-openapi";
import { numericEnum, stringEnum } from "./enum-helpers";

/**
 * The closed vocabularies of personal records: sessions (activities and intentions), subjective inputs, day feedback,
 * check-ins and settings. Numbers are the wire values the contract shows (§6, §7, §11, §12); where NOWATCH never
 * published their meaning, the names and meanings below are this project's decisions (docs/records.md).
 */

// ---------------------------------------------------------------------------------------------------------------
// Session type (contract §6, §11 Sessions Context)

/** `type` 0 marks an intention (Sessions Context). */
export const INTENTION_SESSION_TYPE = 0;
/** Activities use 1–122 (Sessions Context). The response schema stops at 117; we accept the guide's wider range. */
export const ACTIVITY_TYPE_MIN = 1;
export const ACTIVITY_TYPE_MAX = 122;

/**
 * Session `type`: 0 = intention, 1–122 = an activity type. NOWATCH never published the activity names, so this
 * project stores the number as given and names none of them.
 */
export const SessionTypeSchema = z
  .number({ error: `type must be an integer from 0 to ${ACTIVITY_TYPE_MAX}` })
  .int(`type must be an integer from 0 to ${ACTIVITY_TYPE_MAX}`)
  .min(INTENTION_SESSION_TYPE, `type must be an integer from 0 to ${ACTIVITY_TYPE_MAX}`)
  .max(ACTIVITY_TYPE_MAX, `type must be an integer from 0 to ${ACTIVITY_TYPE_MAX}`)
  .openapi({
    description: `Session type: ${INTENTION_SESSION_TYPE} = intention; ${ACTIVITY_TYPE_MIN}–${ACTIVITY_TYPE_MAX} = activity type (activity names are not published by NOWATCH)`,
    example: 0,
  });

/** An activity's `type` alone (1–122), for the activity wrapper routes. */
export const ActivityTypeSchema = SessionTypeSchema.min(
  ACTIVITY_TYPE_MIN,
  `activity type must be an integer from ${ACTIVITY_TYPE_MIN} to ${ACTIVITY_TYPE_MAX}`,
).openapi({ description: `Activity type, ${ACTIVITY_TYPE_MIN}–${ACTIVITY_TYPE_MAX}`, example: 12 });

export type SessionKind = "intention" | "activity";

/** Activities and intentions share one store and differ by `type` (Sessions Context). */
export function sessionKind(type: number): SessionKind {
  return type === INTENTION_SESSION_TYPE ? "intention" : "activity";
}

// ---------------------------------------------------------------------------------------------------------------
// ActivityOrigin: `info.origin`, how a session came to exist (contract §6: numbers 0–5, meanings not published)

export const ActivityOrigin = numericEnum("origin", [
  { value: 0, name: "UNKNOWN", description: "origin not recorded (older clients, or a client that does not say)" },
  { value: 1, name: "MANUAL", description: "logged by hand in the app" },
  { value: 2, name: "WATCH_DETECTED", description: "detected automatically by the watch from motion and heart rate" },
  { value: 3, name: "CROWN_PRESS", description: "started on the watch with a crown press" },
  { value: 4, name: "IMPORTED", description: "imported from another service (e.g. a phone health store)" },
  { value: 5, name: "SUGGESTED", description: "proposed by the app and confirmed by the user" },
]);
export type ActivityOrigin = (typeof ActivityOrigin.values)[number];

// ---------------------------------------------------------------------------------------------------------------
// SubjectiveInputType: `info.subjective_inputs[].type` and day feedback `type` (contract §6, §7: numbers 0–6,
// "includes DAY and SLEEP"; the other meanings are ours)

export const SubjectiveInputType = numericEnum("subjective input type", [
  { value: 0, name: "INTENTION_FEELING", description: "how the user feels about the intention's focus (tag)" },
  { value: 1, name: "BEFORE_SESSION", description: "rating given when an intention or activity starts" },
  { value: 2, name: "AFTER_SESSION", description: "rating given when an intention or activity ends" },
  { value: 3, name: "ENERGY", description: "self-reported energy level" },
  { value: 4, name: "STRESS", description: "self-reported stress level" },
  { value: 5, name: "DAY", description: "answer to 'How was your day?' (value 1–5)" },
  { value: 6, name: "SLEEP", description: "answer to 'How was your sleep?' (value 1–5)" },
]);
export type SubjectiveInputType = (typeof SubjectiveInputType.values)[number];

/**
 * Day feedback `type`: the whole SubjectiveInputType enum, 0-6, as the contract's §7 body lists it. 5 DAY and 6 SLEEP
 * are the Now tab's questions; 0-4 are the same kinds of rating given once for a whole day (docs/records.md).
 */
export const DayFeedbackTypeSchema = SubjectiveInputType.schema.openapi({
  enum: [...SubjectiveInputType.values],
  description: `day feedback type, a SubjectiveInputType: the aspect of the local day rated (one answer per type and day). ${SubjectiveInputType.entries.map((e) => `${e.value} ${e.name}`).join("; ")}`,
});

/** Answers to the day and sleep questions (contract §7, the values are documented). */
export const DayFeedbackValue = numericEnum("day feedback value", [
  { value: 1, name: "VERY_BAD", description: "Very bad" },
  { value: 2, name: "BAD", description: "Bad" },
  { value: 3, name: "OKAY", description: "Okay" },
  { value: 4, name: "GOOD", description: "Good" },
  { value: 5, name: "VERY_GOOD", description: "Very good" },
]);
export type DayFeedbackValue = (typeof DayFeedbackValue.values)[number];

// ---------------------------------------------------------------------------------------------------------------
// Intention tags: `info.subjective_inputs[].tag` and the focus of an intention (from the NOWATCH Research API, §12)

export const IntentionTag = numericEnum("intention tag", [
  { value: 0, name: "CALM", description: "calm (deprecated by NOWATCH)", deprecated: true },
  { value: 1, name: "FOCUS", description: "focus (deprecated by NOWATCH)", deprecated: true },
  { value: 2, name: "ENERGY", description: "energy" },
  { value: 3, name: "POSITIVITY", description: "positivity" },
]);
export type IntentionTag = (typeof IntentionTag.values)[number];

// ---------------------------------------------------------------------------------------------------------------
// Onboarding intention: `settings.onboarding.intention` (contract §11 User Settings Context, values documented)

export const OnboardingIntention = numericEnum("onboarding intention", [
  { value: 1, name: "STRESS", description: "manage stress" },
  { value: 2, name: "POSITIVE", description: "feel more positive (spelled POSTITIVE in the NOWATCH guide)" },
  { value: 3, name: "HEALTH", description: "look after health" },
  { value: 4, name: "HABITS", description: "build better habits" },
  { value: 5, name: "FRIENDS_RELATIONSHIPS", description: "friends and relationships" },
  { value: 6, name: "ENERGY", description: "more energy" },
]);
export type OnboardingIntention = (typeof OnboardingIntention.values)[number];

// ---------------------------------------------------------------------------------------------------------------
// Check-in enums (strings; examples from the NOWATCH Research API, §12; the closed sets are ours)

export const CheckinOrigin = stringEnum("origin", [
  { value: "CROWN_PRESS", description: "started on the watch with a crown press" },
  { value: "APP", description: "started in the app" },
  { value: "NOTIFICATION", description: "started from a reminder notification" },
  { value: "WIDGET", description: "started from a home-screen or watch-face widget" },
]);
export type CheckinOrigin = (typeof CheckinOrigin.values)[number];

/**
 * Reactivity: the body's activation at check-in time, ordered from low to high arousal. It reads against the user's
 * reactivity calibration (settings `homeostasis_lower_limit` / `homeostasis_upper_limit`, §11).
 */
export const Reactivity = stringEnum("reactivity", [
  { value: "DRAINED", description: "well below the lower homeostasis limit: low activation, depleted" },
  { value: "CALM", description: "in the lower part of the homeostasis band: settled, restful" },
  { value: "CENTERED", description: "near the personal baseline: balanced" },
  { value: "ALERT", description: "in the upper part of the homeostasis band: activated, ready" },
  { value: "STRESSED", description: "above the upper homeostasis limit: high activation" },
]);
export type Reactivity = (typeof Reactivity.values)[number];

/** Valence: how pleasant the moment feels, a five-point scale from VERY_NEGATIVE to VERY_POSITIVE. */
export const Valence = stringEnum("valence", [
  { value: "VERY_NEGATIVE", description: "very unpleasant" },
  { value: "NEGATIVE", description: "unpleasant" },
  { value: "NEUTRAL", description: "neither pleasant nor unpleasant" },
  { value: "POSITIVE", description: "pleasant" },
  { value: "VERY_POSITIVE", description: "very pleasant" },
]);
export type Valence = (typeof Valence.values)[number];

/** Related feelings: zero or more named feelings attached to a check-in (pleasant first, then unpleasant). */
export const RelatedFeeling = stringEnum("related feeling", [
  { value: "HAPPY", description: "cheerful, in good spirits" },
  { value: "MOTIVATED", description: "driven, wanting to get things done" },
  { value: "GRATEFUL", description: "thankful, appreciative" },
  { value: "CALM", description: "peaceful, at ease" },
  { value: "RELAXED", description: "physically and mentally loose" },
  { value: "CONFIDENT", description: "self-assured" },
  { value: "CONTENT", description: "satisfied with how things are" },
  { value: "EXCITED", description: "enthusiastic, looking forward to something" },
  { value: "INSPIRED", description: "creative, full of ideas" },
  { value: "LOVED", description: "cared for, connected" },
  { value: "PROUD", description: "pleased with an achievement" },
  { value: "FOCUSED", description: "concentrated, absorbed" },
  { value: "ENERGETIC", description: "full of energy" },
  { value: "TIRED", description: "low on energy, sleepy" },
  { value: "BORED", description: "under-stimulated" },
  { value: "ANXIOUS", description: "worried, uneasy" },
  { value: "STRESSED", description: "under pressure" },
  { value: "OVERWHELMED", description: "too much at once" },
  { value: "SAD", description: "down, low mood" },
  { value: "LONELY", description: "missing connection" },
  { value: "FRUSTRATED", description: "blocked, annoyed at obstacles" },
  { value: "ANGRY", description: "irritated, cross" },
  { value: "RESTLESS", description: "unable to settle" },
]);
export type RelatedFeeling = (typeof RelatedFeeling.values)[number];

/** Context: what the user was doing at check-in time. */
export const CheckinContext = stringEnum("context", [
  { value: "WORKING", description: "working, alone or generally" },
  { value: "MEETING", description: "in a meeting or call" },
  { value: "COMMUTING", description: "travelling to or from work or school" },
  { value: "TRAVELING", description: "on a trip, away from home" },
  { value: "EXERCISING", description: "doing sport or exercise" },
  { value: "SOCIALIZING", description: "with friends or other people" },
  { value: "FAMILY", description: "with family or partner" },
  { value: "EATING", description: "having a meal or snack" },
  { value: "RESTING", description: "taking a break, doing nothing in particular" },
  { value: "STUDYING", description: "studying, learning or reading for work or school" },
  { value: "OUTDOORS", description: "outside, in nature" },
  { value: "HOUSEHOLD", description: "chores, errands, cooking" },
  { value: "HOBBY", description: "a leisure activity or hobby" },
  { value: "ENTERTAINMENT", description: "watching, gaming, scrolling" },
  { value: "MEDITATING", description: "meditating or doing a breathing exercise" },
  { value: "IN_BED", description: "in bed, before or after sleep" },
  { value: "OTHER", description: "none of the above" },
]);
export type CheckinContext = (typeof CheckinContext.values)[number];
