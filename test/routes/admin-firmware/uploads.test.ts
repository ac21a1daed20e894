import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import worker from "../../../src/index";
import { AdminFirmwareReleaseSchema } from "../../../src/routes/firmware/schemas";
import { noise } from "../../fixtures/bytes";
import { adminToken, freshHardware, freshVersion, makeRelease, storedState } from "../../fixtures/firmware";
import { call, expectBody, expectError, newUser } from "../../helpers";

/** Upload sessions for large binaries (docs/firmware.md "Large binaries"). */

const MiB = 1024 * 1024;
const PART = 5 * MiB;

const SessionSchema = z.object({
  id: z.string(),
  version: z.string(),
  size: z.number(),
  partSize: z.number(),
  partCount: z.number(),
  receivedParts: z.array(z.object({ partNumber: z.number(), size: z.number() })),
  expiresAt: z.string(),
});

const sha256Hex = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

async function start(token: string, size: number, extra: Record<string, unknown> = {}) {
  return call("POST", "/v1/admin/firmware/uploads", {
    token,
    body: { version: freshVersion(4), hardware_revisions: [freshHardware()], size, part_size: PART, ...extra },
  });
}

const putPart = (token: string, id: string, n: number | string, body: BodyInit) =>
  call("PUT", `/v1/admin/firmware/uploads/${id}/parts/${n}`, {
    token,
    raw: body,
    contentType: "application/octet-stream",
  });

async function sweep(at: Date) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/15 * * * *" }), env);
  await waitOnExecutionContext(ctx);
}

describe("firmware upload sessions", () => {
  it("parts in any order, resumable, assembled into a draft whose SHA-256 is computed from what R2 holds", async () => {
    const token = await adminToken();
    const binary = noise(2 * PART + 12_345, 6);
    const session = expectBody(
      await start(token, binary.length, { sha256: await sha256Hex(binary), notes: "big" }),
      201,
      SessionSchema,
    );
    expect(session).toMatchObject({ size: binary.length, partSize: PART, partCount: 3, receivedParts: [] });
    for (const n of [3, 1]) {
      const res = await putPart(token, session.id, n, binary.slice((n - 1) * PART, n * PART));
      expect(res.status, res.text).toBe(200);
    }
    const half = expectBody(
      await call("GET", `/v1/admin/firmware/uploads/${session.id}`, { token }),
      200,
      SessionSchema,
    );
    expect(half.receivedParts.map((p) => p.partNumber)).toEqual([1, 3]);
    expectError(await call("POST", `/v1/admin/firmware/uploads/${session.id}/complete`, { token }), 409);
    expect((await putPart(token, session.id, 2, binary.slice(PART, 2 * PART))).status).toBe(200);
    const release = expectBody(
      await call("POST", `/v1/admin/firmware/uploads/${session.id}/complete`, { token }),
      201,
      AdminFirmwareReleaseSchema,
    );
    expect(release).toMatchObject({
      id: session.id,
      status: "draft",
      size: binary.length,
      sha256: await sha256Hex(binary),
      notes: "big",
    });
    const object = (await env.FIRMWARE.get(`releases/${session.id}`)) as R2ObjectBody;
    expect(new Uint8Array(await object.arrayBuffer())).toEqual(binary);
    expectError(await call("GET", `/v1/admin/firmware/uploads/${session.id}`, { token }), 404);
    const log = await call<{ entries: { action: string }[] }>("GET", `/v1/admin/audit-log?target_id=${session.id}`, {
      token,
    });
    expect(log.body.entries.map((e) => e.action)).toEqual(["firmware.create"]);
  });

  it("refuses parts of the wrong size or number, and a part without Content-Length", async () => {
    const token = await adminToken();
    const session = expectBody(await start(token, PART + 10), 201, SessionSchema);
    expectError(await putPart(token, session.id, 1, noise(PART - 1, 1)), 400);
    expectError(await putPart(token, session.id, 1, noise(PART + 1, 1)), 413);
    expectError(await putPart(token, session.id, 2, noise(11, 1)), 413);
    for (const n of [0, 3, "x", "01"]) expectError(await putPart(token, session.id, n, noise(10, 1)), 400);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(noise(10, 2));
        controller.close();
      },
    });
    const res = await exports.default.fetch(
      new Request(`http://localhost/v1/admin/firmware/uploads/${session.id}/parts/2`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}` },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(411);
    expect(((await res.json()) as { error: string }).error).toBe("LENGTH_REQUIRED");
    const view = expectBody(
      await call("GET", `/v1/admin/firmware/uploads/${session.id}`, { token }),
      200,
      SessionSchema,
    );
    expect(view.receivedParts).toEqual([]);
  });

  it("a binary whose SHA-256 is not the one given is discarded with its session; nothing stored", async () => {
    const token = await adminToken();
    const before = await storedState();
    const session = expectBody(await start(token, 100, { sha256: "0".repeat(64) }), 201, SessionSchema);
    expect((await putPart(token, session.id, 1, noise(100, 3))).status).toBe(200);
    const res = await call("POST", `/v1/admin/firmware/uploads/${session.id}/complete`, { token });
    expectError(res, 400);
    expect(res.body.message.join(" ")).toContain("sha256");
    expect(await storedState()).toEqual(before);
    expectError(await call("GET", `/v1/admin/firmware/uploads/${session.id}`, { token }), 404);
  });

  it("400 for bad fields, 409 for a version that exists", async () => {
    const token = await adminToken();
    const hw = freshHardware();
    const version = freshVersion(4);
    await makeRelease(token, { version, hardware_revisions: hw }, { status: "draft" });
    expectError(
      await call("POST", "/v1/admin/firmware/uploads", {
        token,
        body: { version, hardware_revisions: [hw], size: 10 },
      }),
      409,
    );
    for (const body of [
      { version: "1.0", hardware_revisions: [hw], size: 10 },
      { version: "1.0.0", hardware_revisions: [], size: 10 },
      { version: "1.0.0", hardware_revisions: [hw], size: 0 },
      { version: "1.0.0", hardware_revisions: [hw], size: 3 * 1024 * MiB },
      { version: "1.0.0", hardware_revisions: [hw], size: 10, part_size: MiB },
      { version: "1.0.0", hardware_revisions: [hw], size: 10, rollout_percent: 200 },
      { version: "1.0.0", hardware_revisions: [hw] },
    ]) {
      expectError(await call("POST", "/v1/admin/firmware/uploads", { token, body }), 400);
    }
  });

  it("DELETE abandons a session; the sweep abandons an expired one", async () => {
    const token = await adminToken();
    const a = expectBody(await start(token, 10), 201, SessionSchema);
    expect((await call("DELETE", `/v1/admin/firmware/uploads/${a.id}`, { token })).status).toBe(204);
    expectError(await putPart(token, a.id, 1, noise(10, 1)), 404);
    expectError(await call("DELETE", `/v1/admin/firmware/uploads/${a.id}`, { token }), 404);

    const b = expectBody(await start(token, 10), 201, SessionSchema);
    expect((await putPart(token, b.id, 1, noise(10, 1))).status).toBe(200);
    await sweep(new Date(Date.now() + 25 * 3600_000));
    expect(await env.DB.prepare("SELECT id FROM firmware_uploads WHERE id = ?").bind(b.id).first()).toBeNull();
    expect(
      await env.DB.prepare("SELECT * FROM firmware_upload_parts WHERE upload_id = ?").bind(b.id).first(),
    ).toBeNull();
  });

  it("admins only: 403 for a user, 401 without a token", async () => {
    const token = await adminToken();
    const session = expectBody(await start(token, 10), 201, SessionSchema);
    const user = await newUser();
    const requests: [string, string, Parameters<typeof call>[2]][] = [
      ["POST", "/v1/admin/firmware/uploads", { body: { version: "1.0.0", hardware_revisions: ["X"], size: 10 } }],
      ["GET", `/v1/admin/firmware/uploads/${session.id}`, {}],
      ["PUT", `/v1/admin/firmware/uploads/${session.id}/parts/1`, { raw: noise(10, 1) }],
      ["POST", `/v1/admin/firmware/uploads/${session.id}/complete`, {}],
      ["DELETE", `/v1/admin/firmware/uploads/${session.id}`, {}],
    ];
    for (const [method, path, options] of requests) {
      expectError(await call(method, path, { ...options, token: user.access }), 403);
      expectError(await call(method, path, options), 401);
    }
    const view = expectBody(
      await call("GET", `/v1/admin/firmware/uploads/${session.id}`, { token }),
      200,
      SessionSchema,
    );
    expect(view.receivedParts).toEqual([]);
  });
});
