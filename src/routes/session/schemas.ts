import { z } from "@hono/zod-openapi";
import { LIMITS } from "../../lib/limits";
import { TimestampSchema, textSchema, WHEN_VALID } from "../../lib/schemas";
import { toIso } from "../../lib/time";
import {
  ActivityOrigin,
  ActivityTypeSchema,
  DayFeedbackValue,
  IntentionTag,
  SessionTypeSchema,
  SubjectiveInputType,
} from "../../records/enums";
import { InstantSchema, NoteSchema } from "../../records/schemas";
import type { NewSession, SessionFilter, SessionPatch, SubjectiveInputRecord } from "../../user-store/records-sessions";

/**
 * Schemas of the session tag (contract §6, §11 Sessions Context) and of its two wrappers, activity and intention:
 * one model, three views. Requests are snake_case, responses camelCase, as in the contract.
 */

const DAY_OR_SLEEP: readonly number[] = [SubjectiveInputType.byName.DAY, SubjectiveInputType.byName.SLEEP];

/**
 * A subjective input's `value`: the contract's one documented answer scale, 1 Very bad … 5 Very good (§7, §12), for
 * every type. DAY and SLEEP take the five answers (whole numbers); the other types may rate between them (e.g. 3.5
 * from a slider). Anything outside 1-5 (0, 1e308) is a 400 (security finding 9; docs/records.md).
 */
const { VERY_BAD, VERY_GOOD } = DayFeedbackValue.byName;
const VALUE_RANGE = `must be from ${VERY_BAD} to ${VERY_GOOD}`;
const SubjectiveValueSchema = z
  .number({ error: "must be a number" })
  .min(VERY_BAD, VALUE_RANGE)
  .max(VERY_GOOD, VALUE_RANGE)
  .openapi({
    description:
      "The answer on the five-point scale 1 Very bad, 2 Bad, 3 Okay, 4 Good, 5 Very good. DAY (5) and SLEEP (6): a whole number; other types may be fractional (e.g. 3.5)",
    example: 4,
  });

export const SubjectiveInputRequestSchema = z
  .object({
    datetime: InstantSchema.openapi({ description: "When the input was given", example: "2024-03-20T08:15:00Z" }),
    type: SubjectiveInputType.schema,
    value: SubjectiveValueSchema,
    tag: IntentionTag.schema.optional(),
    note: NoteSchema.optional().openapi({ description: "Free text", example: "Felt rested" }),
  })
  .superRefine((input, ctx) => {
    if (DAY_OR_SLEEP.includes(input.type) && !DayFeedbackValue.schema.safeParse(input.value).success) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "must be 1, 2, 3, 4 or 5 for DAY and SLEEP" });
    }
  }, WHEN_VALID)
  .openapi("SubjectiveInputRequest");

/** `info.name` and `info.tool`: one line, may be empty (contract: `""` when none). */
const NameSchema = textSchema({ max: LIMITS.recordNameLength });

const InputList = z
  .array(SubjectiveInputRequestSchema)
  .max(LIMITS.recordSubjectiveInputs, `must have at most ${LIMITS.recordSubjectiveInputs} items`);

/** Per view, what `info.subjective_inputs` may hold (Sessions Context: activities none, intentions some). */
const INPUTS = {
  any: InputList.optional().openapi({ description: "Subjective inputs (intentions); empty for activities" }),
  activity: z
    .array(SubjectiveInputRequestSchema)
    .max(0, "an activity has no subjective inputs: log it as an intention (type 0) instead")
    .optional()
    .openapi({ description: "Must be empty or absent: activities carry no subjective inputs" }),
  intention: InputList.min(1, "an intention has at least one subjective input").openapi({
    description: "At least one: what the user reported for this intention",
  }),
};

function infoSchema(inputs: z.ZodType<z.infer<typeof InputList> | undefined>, name: string) {
  return z
    .object({
      name: NameSchema.optional().openapi({ description: "Custom name", example: "Early afternoon cycle" }),
      note: NoteSchema.optional().openapi({ description: "Free text", example: "Windy" }),
      subjective_inputs: inputs,
      origin: ActivityOrigin.schema.optional(),
      tool: NameSchema.optional().openapi({ description: "The tool or exercise used, as the app names it" }),
    })
    .openapi(name);
}

const StartSchema = InstantSchema.openapi({ description: "When it started", example: "2024-03-20T13:00:00Z" });
const EndSchema = InstantSchema.nullable()
  .optional()
  .openapi({ description: "When it ended; absent or null while ongoing", example: "2024-03-20T13:45:00Z" });

function endNotBeforeStart(s: { start_datetime?: string; end_datetime?: string | null }, ctx: z.RefinementCtx) {
  if (s.start_datetime && s.end_datetime && Date.parse(s.end_datetime) < Date.parse(s.start_datetime)) {
    ctx.addIssue({ code: "custom", path: ["end_datetime"], message: "must not be before start_datetime" });
  }
}

/** What every create view parses to; the views differ only in their rules. */
export interface SessionCreateItem {
  start_datetime: string;
  end_datetime?: string | null;
  type: number;
  info: {
    name?: string;
    note?: string;
    subjective_inputs?: z.infer<typeof SubjectiveInputRequestSchema>[];
    origin?: number;
    tool?: string;
  };
}

export type SessionUpdateBody = Partial<Omit<SessionCreateItem, "info">> & {
  info?: Partial<SessionCreateItem["info"]>;
};

function createSchema(type: z.ZodType<number>, inputs: z.ZodType<z.infer<typeof InputList> | undefined>, name: string) {
  return z
    .object({ start_datetime: StartSchema, end_datetime: EndSchema, type, info: infoSchema(inputs, `${name}Info`) })
    .superRefine(endNotBeforeStart, WHEN_VALID)
    .openapi(name);
}

function updateSchema(
  type: z.ZodType<number | undefined>,
  inputs: z.ZodType<z.infer<typeof InputList> | undefined>,
  name: string,
) {
  return z
    .object({
      start_datetime: StartSchema.optional(),
      end_datetime: EndSchema,
      type,
      info: infoSchema(inputs, `${name}Info`)
        .partial()
        .optional()
        .openapi({ description: "Keys present replace the stored ones; absent keys stay" }),
    })
    .superRefine(endNotBeforeStart, WHEN_VALID)
    .openapi(name);
}

const IntentionType = z
  .literal(0, { error: "an intention has type 0" })
  .openapi({ description: "Always 0 for an intention (may be omitted)", example: 0 });

// ---------------------------------------------------------------------------------------------------------------
// Responses: GET /v1/session/{id} (contract §6), shared by the three views.

export const SubjectiveInputSchema = z
  .object({
    datetime: TimestampSchema.openapi({ description: "ISO-8601 UTC", example: "2024-03-20T08:15:00.000Z" }),
    type: SubjectiveInputType.schema,
    value: z
      .number()
      .min(VERY_BAD)
      .max(VERY_GOOD)
      .openapi({ description: "The answer, 1-5 (whole for DAY and SLEEP)", example: 4 }),
    tag: IntentionTag.schema.nullable().openapi({
      enum: [...IntentionTag.values, null],
      description: "IntentionTag (0 CALM, 1 FOCUS, 2 ENERGY, 3 POSITIVITY); null when none was given",
    }),
    note: z.string().optional().openapi({ description: "Present when one was given" }),
  })
  .openapi("SubjectiveInput");

export const SessionInfoSchema = z
  .object({
    name: z.string().openapi({ description: 'Custom name; "" when none was given', example: "Early afternoon cycle" }),
    note: z.string().openapi({ description: 'Free text; "" when none was given', example: "" }),
    subjectiveInputs: z.array(SubjectiveInputSchema).openapi({ description: "Empty for activities" }),
    origin: ActivityOrigin.schema.optional(),
    tool: z.string().optional().openapi({ description: "Present when one was given" }),
  })
  .openapi("SessionInfo");

export const SessionSchema = z
  .object({
    id: z.uuid().openapi({ description: "The session's id", example: "5f0c1d52-8a4e-4a4e-9a57-2f7f1f0b6a11" }),
    startDatetime: TimestampSchema.openapi({ description: "ISO-8601 UTC", example: "2024-03-20T13:00:00.000Z" }),
    endDatetime: TimestampSchema.nullable().openapi({
      description: "ISO-8601 UTC; null while ongoing",
      example: "2024-03-20T13:45:00.000Z",
    }),
    created: TimestampSchema.openapi({
      description: "When it was stored, ISO-8601 UTC",
      example: "2024-03-20T13:46:02.123Z",
    }),
    lastUpdated: TimestampSchema.openapi({
      description: "When it last changed, ISO-8601 UTC",
      example: "2024-03-20T13:46:02.123Z",
    }),
    type: SessionTypeSchema,
    info: SessionInfoSchema,
  })
  .openapi("Session");

// ---------------------------------------------------------------------------------------------------------------
// The three views of the one sessions store.

export interface SessionVariant {
  tag: "session" | "activity" | "intention";
  path: "/v1/session" | "/v1/activity" | "/v1/intention";
  controller: string;
  /** Which stored sessions this view sees: all, or one kind. */
  kind: SessionFilter;
  noun: string;
  plural: string;
  create: z.ZodType<SessionCreateItem>;
  update: z.ZodType<SessionUpdateBody>;
  /** What the view adds to each operation's description. */
  about: string;
}

export const SESSION: SessionVariant = {
  tag: "session",
  path: "/v1/session",
  controller: "sessioncontroller",
  kind: null,
  noun: "session",
  plural: "sessions",
  create: createSchema(SessionTypeSchema, INPUTS.any, "SessionCreate"),
  update: updateSchema(SessionTypeSchema.optional(), INPUTS.any, "SessionUpdate"),
  about:
    "Activities (type 1-122) and intentions (type 0) alike; this view accepts subjective inputs on either (the activity and intention views enforce the Sessions Context rules).",
};

export const ACTIVITY: SessionVariant = {
  tag: "activity",
  path: "/v1/activity",
  controller: "activitycontroller",
  kind: "activity",
  noun: "activity",
  plural: "activities",
  create: createSchema(ActivityTypeSchema, INPUTS.activity, "ActivityCreate"),
  update: updateSchema(ActivityTypeSchema.optional(), INPUTS.activity, "ActivityUpdate"),
  about:
    "The sessions with type 1-122 (activities: a name, an origin and times; no subjective inputs), stored as sessions: the same records as /v1/session.",
};

export const INTENTION: SessionVariant = {
  tag: "intention",
  path: "/v1/intention",
  controller: "intentioncontroller",
  kind: "intention",
  noun: "intention",
  plural: "intentions",
  create: createSchema(IntentionType.default(0), INPUTS.intention, "IntentionCreate"),
  update: updateSchema(IntentionType.optional(), INPUTS.intention.optional(), "IntentionUpdate"),
  about:
    "The sessions with type 0 (intentions: wellness goals with at least one subjective input), stored as sessions: the same records as /v1/session.",
};

// ---------------------------------------------------------------------------------------------------------------
// Request → stored record (date-times normalized to ISO-8601 UTC; optional keys left out, keeping the JSON compact).

function toSubjectiveInput(input: z.infer<typeof SubjectiveInputRequestSchema>): SubjectiveInputRecord {
  const record: SubjectiveInputRecord = {
    datetime: toIso(input.datetime),
    type: input.type,
    value: input.value,
    tag: input.tag ?? null,
  };
  if (input.note !== undefined) record.note = input.note;
  return record;
}

function toInfo(info: Partial<SessionCreateItem["info"]>): Partial<NewSession["info"]> {
  const out: Partial<NewSession["info"]> = {};
  if (info.name !== undefined) out.name = info.name;
  if (info.note !== undefined) out.note = info.note;
  if (info.subjective_inputs !== undefined) out.subjectiveInputs = info.subjective_inputs.map(toSubjectiveInput);
  if (info.origin !== undefined) out.origin = info.origin;
  if (info.tool !== undefined) out.tool = info.tool;
  return out;
}

export function toNewSession(item: SessionCreateItem): NewSession {
  return {
    startDatetime: toIso(item.start_datetime),
    endDatetime: item.end_datetime ? toIso(item.end_datetime) : null,
    type: item.type,
    info: { name: "", note: "", subjectiveInputs: [], ...toInfo(item.info) },
  };
}

export function toSessionPatch(body: SessionUpdateBody): SessionPatch {
  const patch: SessionPatch = {};
  if (body.start_datetime !== undefined) patch.startDatetime = toIso(body.start_datetime);
  if (body.end_datetime !== undefined) patch.endDatetime = body.end_datetime === null ? null : toIso(body.end_datetime);
  if (body.type !== undefined) patch.type = body.type;
  if (body.info !== undefined) patch.info = toInfo(body.info);
  return patch;
}
