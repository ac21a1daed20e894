import { Buffer } from "node:buffer";
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { findRelease } from "../../db/firmware";
import { isVisible } from "../../firmware/policy";
import { serveR2Object } from "../../http/r2-object";
import { BEARER, type Router } from "../../http/router";
import { errorResponse, errorResponses, notFound, notFoundResponse } from "../../lib/errors";
import { binaryResponse, ReleaseIdParamSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/firmware/{id}/download",
  operationId: "firmwarecontroller_download",
  tags: ["firmware"],
  summary: "Download a firmware binary",
  description:
    "The binary of a release visible to the caller, streamed from storage with `Content-Length`, `ETag`, `Repr-Digest` (SHA-256, RFC 9530) and byte ranges (`Range`, `If-Range`: 206, 416), so a phone resumes an interrupted transfer. 404 for a release the caller cannot see: a draft, a halted or retired release, a beta one for a user without early access, or one outside the caller's rollout.",
  security: BEARER,
  middleware: [requireUser],
  request: { params: ReleaseIdParamSchema },
  responses: {
    200: binaryResponse("The binary"),
    206: binaryResponse("The requested byte range"),
    304: { description: "Not modified (If-None-Match matched the ETag)" },
    ...errorResponses,
    ...notFoundResponse,
    416: errorResponse("The range lies outside the binary"),
  },
});

const NO_RELEASE = "No such firmware release";

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const release = await findRelease(getDb(c.env.DB), c.req.valid("param").id);
    if (!release || !isVisible(release, c.get("user"))) throw notFound(NO_RELEASE);
    const response = await serveR2Object(c.req.raw, c.env.FIRMWARE, release.objectKey, {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="nowatch-firmware-${release.version.replace(/[^0-9A-Za-z.+-]/g, "_")}.bin"`,
      "repr-digest": `sha-256=:${Buffer.from(release.sha256, "hex").toString("base64")}:`,
      "cache-control": "private, max-age=3600",
    });
    if (response === null) throw notFound(NO_RELEASE);
    return response;
  });
}
