import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { publishedReleases } from "../../db/firmware";
import { channelsFor, chooseUpdate } from "../../firmware/policy";
import { parseSemver } from "../../firmware/semver";
import { signManifest } from "../../firmware/signing";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { epochToIso, nowSeconds } from "../../lib/time";
import { FirmwareUpdateSchema, HardwareRevisionSchema, SemverSchema, toDevice } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/firmware/latest",
  operationId: "firmwarecontroller_latest",
  tags: ["firmware"],
  summary: "The firmware this user's watch should install",
  description:
    "The highest published release for the watch's hardware revision that is newer than `current_version`, in a channel the caller may use (beta: early-access users only) and inside its staged rollout for this user, and installable from `current_version` (a release with `minVersion` needs that version first: a stepping stone is offered instead). Never a downgrade. 204 when the watch is up to date. The answer carries a manifest signed with Ed25519 (compact JWS, `alg: EdDSA`) that the watch verifies offline with /.well-known/firmware-signing-keys.json.",
  security: BEARER,
  middleware: [requireUser],
  request: {
    query: z.object({
      hardware_revision: HardwareRevisionSchema.openapi({ description: "The watch's hardware revision" }),
      current_version: SemverSchema.openapi({ description: "The firmware the watch runs", example: "2.3.0" }),
    }),
  },
  responses: {
    200: jsonResponse(FirmwareUpdateSchema, "The release to install, with its signed manifest"),
    204: { description: "Up to date: nothing to install" },
    ...errorResponses,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { hardware_revision: hardwareRevision, current_version: currentVersion } = c.req.valid("query");
    const user = c.get("user");
    const candidates = await publishedReleases(getDb(c.env.DB), channelsFor(user), hardwareRevision);
    const update = chooseUpdate(
      candidates,
      user,
      parseSemver(currentVersion) as NonNullable<ReturnType<typeof parseSemver>>,
    );
    c.header("cache-control", "private, no-store");
    if (!update) return c.body(null, 204);
    const { release } = update;
    const { jws, expiresAt } = await signManifest(
      c.env,
      {
        releaseId: release.id,
        version: release.version,
        hardwareRevision,
        size: release.sizeBytes,
        sha256: release.sha256,
        mandatory: update.mandatory,
        minVersion: release.minVersion,
        channel: release.channel,
        userId: user.id,
      },
      nowSeconds(),
    );
    return c.json(
      {
        ...toDevice(release),
        mandatory: update.mandatory,
        steppingStone: update.steppingStone,
        manifest: jws,
        manifestExpiresAt: epochToIso(expiresAt),
      },
      200,
    );
  });
}
