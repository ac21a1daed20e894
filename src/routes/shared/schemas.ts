import { z } from "@hono/zod-openapi";
import type { listDashboards } from "../../db/dashboards";
import { USER_ID_PATTERN } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { NameSchema, TimestampSchema, textSchema } from "../../lib/schemas";
import { ShareRecordSchema } from "../sharing/schemas";

/** Schemas of the shared tag (contract §10): dashboards other users share with the caller, and the caller's groups. */

/** Until the viewer personalises a dashboard (POST /v1/shared/custom), it shows these (docs/sharing.md). */
export const DEFAULT_ICON_COLOR = "#2F80ED";

export const UserIdSchema = z
  .string()
  .regex(USER_ID_PATTERN, "must be a user id")
  .openapi({ example: "uid_69954cbc5ef58c2b4a140903bceed6c0NYBoQ803kphGz89qu9KsaXtlJVdF56KN" });

export const SharerRequestSchema = z
  .object({ userId: UserIdSchema.openapi({ description: "ID of the user who shared the dashboard" }) })
  .openapi("SharedUserRequest");

export const GroupIdParamsSchema = z.object({
  groupId: z
    .uuid()
    .openapi({ param: { name: "groupId", in: "path" }, example: "a1b2c3d4-e5f6-4890-9234-567890abcdef" }),
});

export const GroupNameSchema = textSchema({ min: 1, max: LIMITS.groupNameLength }).openapi({
  description: "One line, not blank; stored exactly as sent",
  example: "Family",
});

export const GroupNameRequestSchema = z.object({ name: GroupNameSchema }).openapi("SharedGroupNameRequest");

export const SharedGroupSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: "Family" }),
    members: z.array(z.string()).openapi({ description: "User ids of the sharers whose dashboards are in the group" }),
    created: TimestampSchema.openapi({ example: "2024-03-20T12:00:00.000Z" }),
    lastUpdated: TimestampSchema.openapi({ example: "2024-03-20T12:00:00.000Z" }),
  })
  .openapi("SharedGroup");

/** contract §10 SharedDashboard: the active-share record plus the viewer's personalisation and the sharer's sync. */
export const SharedDashboardSchema = ShareRecordSchema.extend({
  customName: z.string().openapi({ description: "Defaults to the sharer's first name", example: "Sponge Bob" }),
  iconColor: z.string().openapi({ description: `Defaults to ${DEFAULT_ICON_COLOR}`, example: DEFAULT_ICON_COLOR }),
  customProfilePicture: z.string().openapi({ description: "Empty until picture upload exists", example: "" }),
  groupIds: z.array(z.string()).openapi({
    description: "IDs of the caller's groups this dashboard is in",
    example: ["a1b2c3d4-e5f6-4890-9234-567890abcdef"],
  }),
  lastSyncAt: TimestampSchema.nullable()
    .optional()
    .openapi({ description: "When the sharer's app last synced; null if never", example: "2024-01-01T12:00:00.000Z" }),
}).openapi("SharedDashboard");

export type SharedDashboard = z.infer<typeof SharedDashboardSchema>;

type DashboardRow = Awaited<ReturnType<typeof listDashboards>>[number];

export function toSharedDashboard(row: DashboardRow): SharedDashboard {
  const { share } = row;
  return {
    fromId: share.ownerId,
    fromEmail: row.ownerEmail,
    toId: share.viewerId,
    toEmail: row.viewerEmail,
    sharedSince: share.sharedSince,
    created: share.created,
    lastUpdated: share.lastUpdated,
    types: share.types,
    expiresAt: share.expiresAt,
    customName: share.customName ?? row.ownerFirstName,
    iconColor: share.iconColor ?? DEFAULT_ICON_COLOR,
    customProfilePicture: share.customProfilePicture ?? "",
    groupIds: row.groupIds,
    lastSyncAt: row.ownerLastSyncAt,
  };
}

export const NO_SHARED_DASHBOARD = "No dashboard shared with you by this user";
export const NO_GROUP = "No such group";

/** The limit of the personalised name follows the profile names. */
export const CustomNameSchema = NameSchema.openapi({
  description: "One line, not blank; stored exactly as sent",
  example: "Bob",
});
