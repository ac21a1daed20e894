import { z } from "@hono/zod-openapi";
import type { InvitationRow } from "../../db/invitations";
import { SHAREABLE_DATA_TYPES, SHARING_STATUSES } from "../../db/schema";
import type { ShareLimits } from "../../db/shares";
import { DateTimeSchema, EmailSchema, TimestampSchema } from "../../lib/schemas";
import { toIso } from "../../lib/time";

/** Schemas of the sharing tag (contract §9). Request bodies say `shareSince`; active-share records `sharedSince`. */

const DataTypeSchema = z.enum(SHAREABLE_DATA_TYPES).openapi({ example: "HEART_RATE" });

export const DataTypesSchema = z
  .array(DataTypeSchema)
  .min(1, "types must name at least one data type (omit it or send null for all)")
  .transform((types) => [...new Set(types)])
  .openapi({
    description: "Limit the share to these data types; omitted or null = all types",
    example: ["HEART_RATE", "SESSIONS"],
  });

export const ExpiresAtSchema = DateTimeSchema.refine(
  (v) => Date.parse(v) > Date.now(),
  "must be in the future",
).openapi({
  description: "When the share ends by itself (it then behaves as revoked); omitted or null = never",
  example: "2030-01-01T00:00:00Z",
});

/** The optional limits an owner puts on a share: on invite, on request accept, and later with PATCH /v1/sharing. */
export const ShareLimitsFields = {
  types: DataTypesSchema.nullable().optional(),
  expiresAt: ExpiresAtSchema.nullable().optional(),
};

/** The limits a body sets: fields left out stay as they are, null clears. */
export function limitsFromBody(body: {
  types?: ShareLimits["types"];
  expiresAt?: string | null;
}): Partial<ShareLimits> {
  const limits: Partial<ShareLimits> = {};
  if (body.types !== undefined) limits.types = body.types;
  if (body.expiresAt !== undefined) limits.expiresAt = body.expiresAt === null ? null : toIso(body.expiresAt);
  return limits;
}

export const EmailRequestSchema = z
  .object({ email: EmailSchema.openapi({ description: "The other party's email" }) })
  .openapi("SharingEmailRequest");

export const ShareSinceSchema = DateTimeSchema.openapi({
  description: "Date from which data is shared",
  example: "2024-01-01T00:00:00.000Z",
});

const ShareDataTypesOutSchema = z
  .array(DataTypeSchema)
  .nullable()
  .openapi({ description: "Data types the share is limited to; null = all" });
const ExpiresAtOutSchema = TimestampSchema.nullable().openapi({
  description: "When the share ends; null = never",
  example: null,
});

/** An active share (contract §9 GET /v1/sharing), plus its limits (`types`, `expiresAt`; additions, see docs). */
export const ShareRecordSchema = z
  .object({
    fromId: z.string().openapi({ description: "The owner of the dashboard" }),
    fromEmail: z.string().openapi({ example: "spongebob@bikinibottom.com" }),
    toId: z.string().openapi({ description: "The viewer" }),
    toEmail: z.string().openapi({ example: "patrick@bikinibottom.com" }),
    sharedSince: TimestampSchema.openapi({ example: "2024-01-01T00:00:00.000Z" }),
    created: TimestampSchema.openapi({ example: "2024-03-20T12:00:00.000Z" }),
    lastUpdated: TimestampSchema.openapi({ example: "2024-03-20T12:00:00.000Z" }),
    types: ShareDataTypesOutSchema,
    expiresAt: ExpiresAtOutSchema,
  })
  .openapi("ShareRecord");

const FromEmailSchema = z.string().openapi({ description: "Who sent it", example: "spongebob@bikinibottom.com" });

const AnswerFields = {
  status: z.enum(SHARING_STATUSES).openapi({ example: "PENDING" }),
  shareSince: TimestampSchema.openapi({ example: "2024-01-01T00:00:00.000Z" }),
  sentDate: TimestampSchema.openapi({ description: "When it was last sent (resending moves it)" }),
  created: TimestampSchema.openapi({ example: "2024-03-20T12:00:00.000Z" }),
  lastUpdated: TimestampSchema.openapi({ example: "2024-03-20T12:00:00.000Z" }),
};

/** contract §9 #9 (invites/received); invites/sent has the same shape. */
export const SharingInviteSchema = z
  .object({
    id: z.uuid(),
    fromEmail: FromEmailSchema,
    invitedEmail: z.string().openapi({ example: "patrick@bikinibottom.com" }),
    ...AnswerFields,
  })
  .openapi("SharingInvite");

/** contract §9 #10 (requests/sent); requests/received has the same shape. */
export const SharingRequestSchema = z
  .object({
    requestedEmail: z.string().openapi({ description: "Whose dashboard is asked for" }),
    fromEmail: FromEmailSchema,
    ...AnswerFields,
  })
  .openapi("SharingRequest");

const answerFields = (row: InvitationRow) => ({
  status: row.status,
  shareSince: row.shareSince,
  sentDate: row.sentDate,
  created: row.created,
  lastUpdated: row.lastUpdated,
});

export const toSharingInvite = (row: InvitationRow): z.infer<typeof SharingInviteSchema> => ({
  id: row.id,
  fromEmail: row.fromEmail,
  invitedEmail: row.recipientEmail,
  ...answerFields(row),
});

export const toSharingRequest = (row: InvitationRow): z.infer<typeof SharingRequestSchema> => ({
  requestedEmail: row.recipientEmail,
  fromEmail: row.fromEmail,
  ...answerFields(row),
});
