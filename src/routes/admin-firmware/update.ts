import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "../../auth/middleware";
import { getDb } from "../../db";
import { findRelease, type ReleaseRow, updateRelease } from "../../db/firmware";
import { FIRMWARE_CHANNELS, FIRMWARE_STATUSES, type FirmwareStatus } from "../../db/schema";
import { compareVersions } from "../../firmware/semver";
import { BEARER, type Router } from "../../http/router";
import {
  badRequest,
  conflict,
  conflictResponse,
  errorResponses,
  forbiddenResponse,
  notFound,
  notFoundResponse,
} from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { AdminFirmwareReleaseSchema, ReleaseIdParamSchema, SemverSchema, toAdmin } from "../firmware/schemas";
import { auditOf } from "./audit";

const percent = z.number().int().min(0).max(100);

const PatchSchema = z
  .object({
    status: z.enum(FIRMWARE_STATUSES).optional().openapi({
      description:
        "`published` publishes a draft or resumes a halted release; `halted` stops offering it; `retired` ends it for good",
    }),
    channel: z.enum(FIRMWARE_CHANNELS).optional(),
    rollout_percent: percent.optional(),
    failure_threshold_percent: percent.optional(),
    min_reports: z.number().int().min(0).max(1_000_000).optional(),
    mandatory: z.boolean().optional(),
    notes: z.string().max(LIMITS.firmwareNotesLength).optional(),
    min_version: SemverSchema.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "nothing to change" })
  .openapi("FirmwareReleasePatch");

/** The status changes an admin may make (docs/firmware.md "Lifecycle"); staying put is always allowed. */
const TRANSITIONS: Record<FirmwareStatus, readonly FirmwareStatus[]> = {
  draft: ["published", "retired"],
  published: ["halted", "retired"],
  halted: ["published", "retired"],
  retired: [],
};

const ACTIONS: Partial<Record<`${FirmwareStatus}>${FirmwareStatus}`, string>> = {
  "draft>published": "firmware.publish",
  "halted>published": "firmware.resume",
  "published>halted": "firmware.halt",
  "draft>retired": "firmware.retire",
  "published>retired": "firmware.retire",
  "halted>retired": "firmware.retire",
};

const route = createRoute({
  method: "patch",
  path: "/v1/admin/firmware/{id}",
  operationId: "adminfirmwarecontroller_update",
  tags: ["admin-firmware"],
  summary: "Publish, halt, resume, retire or edit a firmware release (admins only)",
  description:
    "Any of the fields, snake_case. `status` moves along the lifecycle draft → published ⇄ halted → retired (a draft may also be retired; a retired release changes no more): 409 for any other move. `rollout_percent` can go up or down: the rollout hash keeps each user's place. 409 also when the release changed meanwhile (read it again). Audited with the release before and after.",
  security: BEARER,
  middleware: [...adminOnly],
  request: { params: ReleaseIdParamSchema, body: jsonBody(PatchSchema) },
  responses: {
    200: jsonResponse(AdminFirmwareReleaseSchema, "The release"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
    ...conflictResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const db = getDb(c.env.DB);
    const { id } = c.req.valid("param");
    const patch = c.req.valid("json");
    const release = await findRelease(db, id);
    if (!release) throw notFound("No such firmware release");
    if (release.status === "retired") throw conflict(`Release ${release.version} is retired and changes no more`);
    const to = patch.status ?? release.status;
    if (to !== release.status && !TRANSITIONS[release.status].includes(to)) {
      throw conflict(`A ${release.status} release cannot become ${to}`);
    }
    if (patch.min_version && compareVersions(patch.min_version, release.version) >= 0) {
      throw badRequest(`min_version: must be older than ${release.version}`);
    }
    const now = nowIso();
    const changes: Partial<ReleaseRow> & { updatedAt: string } = { updatedAt: laterThan(release.updatedAt, now) };
    if (patch.channel !== undefined) changes.channel = patch.channel;
    if (patch.rollout_percent !== undefined) changes.rolloutPercent = patch.rollout_percent;
    if (patch.failure_threshold_percent !== undefined)
      changes.failureThresholdPercent = patch.failure_threshold_percent;
    if (patch.min_reports !== undefined) changes.minReports = patch.min_reports;
    if (patch.mandatory !== undefined) changes.mandatory = patch.mandatory;
    if (patch.notes !== undefined) changes.notes = patch.notes;
    if (patch.min_version !== undefined) changes.minVersion = patch.min_version;
    if (to !== release.status) {
      changes.status = to;
      if (to === "published") {
        changes.publishedAt = release.publishedAt ?? now;
        changes.haltedAt = null;
        changes.haltReason = null;
      }
      if (to === "halted") {
        changes.haltedAt = now;
        changes.haltReason = "admin";
      }
      if (to === "retired") changes.retiredAt = now;
    }
    const after = { ...release, ...changes };
    const action = ACTIONS[`${release.status}>${to}`] ?? "firmware.update";
    const audit = auditOf(c.get("user"), action, id, toAdmin(release), toAdmin(after), now);
    if (!(await updateRelease(db, id, release.updatedAt, withoutHardware(changes), audit))) {
      throw conflict("The release changed meanwhile; read it again and retry");
    }
    return c.json(toAdmin(after), 200);
  });
}

/** A fresh `updated_at` that differs from the one read, so the optimistic check sees every change (same-ms edits). */
function laterThan(previous: string, now: string): string {
  if (now > previous) return now;
  return new Date(Date.parse(previous) + 1).toISOString();
}

function withoutHardware(changes: Partial<ReleaseRow> & { updatedAt: string }) {
  const { hardwareRevisions: _, ...rest } = changes;
  return rest;
}
