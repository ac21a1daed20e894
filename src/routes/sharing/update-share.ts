import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { shareChanged } from "../../changes/account";
import { getDb } from "../../db";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, notFoundResponse } from "../../lib/errors";
import { EmailSchema, jsonBody, jsonResponse } from "../../lib/schemas";
import { patchShare } from "../../sharing/invitations";
import { limitsFromBody, ShareLimitsFields, ShareRecordSchema } from "./schemas";

export const UpdateShareRequestSchema = z
  .object({ email: EmailSchema.openapi({ description: "The viewer whose share changes" }), ...ShareLimitsFields })
  .refine((body) => body.types !== undefined || body.expiresAt !== undefined, "send types and/or expiresAt")
  .openapi("SharingUpdateRequest");

const route = createRoute({
  method: "patch",
  path: "/v1/sharing",
  operationId: "sharingcontroller_updateshare",
  tags: ["sharing"],
  summary: "Change the limits of a share",
  description:
    "Changes what the viewer with `email` may read: `types` (a list of data types, or null for all) and/or `expiresAt` (a future date-time, or null for no expiry). Fields left out keep their value; it applies to the viewer's next read. Returns the updated share. 404 when the caller is not sharing with that email. Not in the NOWATCH 0.9.0 reference (see docs/sharing.md).",
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(UpdateShareRequestSchema) },
  responses: {
    200: jsonResponse(ShareRecordSchema, "The updated share"),
    ...errorResponses,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const caller = c.get("user");
    const db = getDb(c.env.DB);
    const share = await patchShare(db, caller.id, body.email, limitsFromBody(body));
    await shareChanged(c.env, "upsert", caller.id, { id: share.toId });
    return c.json(share, 200);
  });
}
