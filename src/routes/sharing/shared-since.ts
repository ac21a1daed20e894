import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { shareChanged } from "../../changes/account";
import { getDb } from "../../db";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, notFoundResponse } from "../../lib/errors";
import { EmailSchema, jsonBody, jsonResponse } from "../../lib/schemas";
import { toIso } from "../../lib/time";
import { patchShare } from "../../sharing/invitations";
import { ShareRecordSchema, ShareSinceSchema } from "./schemas";

/** Without `shareSince` the whole history is shared: the start moves to the Unix epoch. */
export const ALL_HISTORY = "1970-01-01T00:00:00.000Z";

export const SharedSinceRequestSchema = z
  .object({
    email: EmailSchema.openapi({ description: "User to update" }),
    shareSince: ShareSinceSchema.optional().openapi({ description: "New start date; omitted = all history" }),
  })
  .openapi("SharingSharedSinceRequest");

const route = createRoute({
  method: "post",
  path: "/v1/sharing/shared-since",
  operationId: "sharingcontroller_updatesharedsince",
  tags: ["sharing"],
  summary: "Update shared since for a dashboard user is sharing",
  description: `Moves the first date of the caller's data that the viewer with \`email\` sees, widening or narrowing the range; it applies to their next read. Without \`shareSince\` the whole history is shared (\`sharedSince\` becomes ${ALL_HISTORY}). Returns the updated share. 404 when the caller is not sharing with that email.`,
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(SharedSinceRequestSchema) },
  responses: {
    201: jsonResponse(ShareRecordSchema, "The updated share"),
    ...errorResponses,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const caller = c.get("user");
    const db = getDb(c.env.DB);
    const sharedSince = body.shareSince === undefined ? ALL_HISTORY : toIso(body.shareSince);
    const share = await patchShare(db, caller.id, body.email, { sharedSince });
    await shareChanged(c.env, "upsert", caller.id, { id: share.toId });
    return c.json(share, 201);
  });
}
