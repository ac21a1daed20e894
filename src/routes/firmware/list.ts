import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { publishedReleases } from "../../db/firmware";
import { channelsFor, isVisible } from "../../firmware/policy";
import { compareVersions } from "../../firmware/semver";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { FirmwareReleaseSchema, HardwareRevisionSchema, toDevice } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/firmware",
  operationId: "firmwarecontroller_list",
  tags: ["firmware"],
  summary: "The firmware releases visible to the caller",
  description:
    "Published releases in the caller's channels (beta: early-access users only) and inside their staged rollout for this user, highest version first; `hardware_revision` keeps those that fit one revision. Drafts, halted and retired releases are never listed.",
  security: BEARER,
  middleware: [requireUser],
  request: {
    query: z.object({
      hardware_revision: HardwareRevisionSchema.optional().openapi({ description: "Only releases for this revision" }),
    }),
  },
  responses: { 200: jsonResponse(z.array(FirmwareReleaseSchema), "Releases"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const user = c.get("user");
    const { hardware_revision: hardwareRevision } = c.req.valid("query");
    const releases = (await publishedReleases(getDb(c.env.DB), channelsFor(user), hardwareRevision))
      .filter((r) => isVisible(r, user))
      .sort((a, b) => compareVersions(b.version, a.version) || b.createdAt.localeCompare(a.createdAt));
    c.header("cache-control", "private, no-store");
    return c.json(releases.map(toDevice), 200);
  });
}
