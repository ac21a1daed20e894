import { createRoute } from "@hono/zod-openapi";
import { adminOnly } from "../../auth/middleware";
import { getDb } from "../../db";
import { deleteRelease, findRelease } from "../../db/firmware";
import { BEARER, type Router } from "../../http/router";
import {
  conflict,
  conflictResponse,
  errorResponses,
  forbiddenResponse,
  notFound,
  notFoundResponse,
} from "../../lib/errors";
import { nowIso } from "../../lib/time";
import { ReleaseIdParamSchema, toAdmin } from "../firmware/schemas";
import { auditOf } from "./audit";

const route = createRoute({
  method: "delete",
  path: "/v1/admin/firmware/{id}",
  operationId: "adminfirmwarecontroller_delete",
  tags: ["admin-firmware"],
  summary: "Delete a draft or retired firmware release (admins only)",
  description:
    "Removes the release, its reports and its binary. Only a `draft` or a `retired` release: 409 for one that is published or halted (retire it first, so no watch is offered a release that is about to vanish). Audited.",
  security: BEARER,
  middleware: [...adminOnly],
  request: { params: ReleaseIdParamSchema },
  responses: {
    204: { description: "Deleted" },
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
    const release = await findRelease(db, id);
    if (!release) throw notFound("No such firmware release");
    const refusal = conflict(
      `Release ${release.version} is ${release.status}; only draft and retired releases can be deleted`,
    );
    if (release.status !== "draft" && release.status !== "retired") throw refusal;
    const audit = auditOf(c.get("user"), "firmware.delete", id, toAdmin(release), null, nowIso());
    if (!(await deleteRelease(db, id, ["draft", "retired"], audit))) throw refusal;
    // After the row: a release is never left pointing at a missing binary; a failed delete leaves an orphan object.
    try {
      await c.env.FIRMWARE.delete(release.objectKey);
    } catch (error) {
      console.error(
        JSON.stringify({ event: "firmware_object_orphaned", key: release.objectKey, error: String(error) }),
      );
    }
    return c.body(null, 204);
  });
}
