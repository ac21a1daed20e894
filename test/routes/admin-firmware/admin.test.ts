import { env, exports } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../../src/lib/limits";
import { AdminFirmwareDetailSchema, AdminFirmwareReleaseSchema } from "../../../src/routes/firmware/schemas";
import { noise } from "../../fixtures/bytes";
import {
  adminToken,
  expectNoStoredRelease,
  freshHardware,
  freshVersion,
  makeRelease,
  patch,
  postRelease,
  releaseForm,
  storedState,
} from "../../fixtures/firmware";
import { call, expectBody, expectError, newUser } from "../../helpers";

/** The admin side of firmware (docs/firmware.md "Admin side"): releases, their lifecycle and the audit log. */

const sha256Hex = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

interface AuditPage {
  entries: {
    action: string;
    actorId: string | null;
    actorEmail: string | null;
    targetId: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  }[];
  nextCursor: string | null;
}

const auditOf = async (token: string, targetId: string) =>
  (await call<AuditPage>("GET", `/v1/admin/audit-log?target_id=${targetId}`, { token })).body.entries;

/** A streamed multipart body: the fields, then a file part of `fileBytes` zero bytes sent in 1 MiB chunks. */
function streamedForm(fields: Record<string, string>, fileBytes: number) {
  const boundary = "nowatch-test-boundary";
  const encoder = new TextEncoder();
  let head = "";
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const chunk = new Uint8Array(1024 * 1024);
  let left = fileBytes;
  let sentHead = false;
  let sentTail = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(encoder.encode(head));
      } else if (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        controller.enqueue(chunk.subarray(0, n));
      } else if (!sentTail) {
        sentTail = true;
        controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
      } else {
        controller.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("POST /v1/admin/firmware", () => {
  it("creates a draft from the form: the binary streamed to FIRMWARE with its size and SHA-256, audited", async () => {
    const token = await adminToken();
    const binary = noise(2 * 1024 * 1024 + 17, 3); // spans several reads
    const hw = freshHardware();
    const version = freshVersion();
    const created = expectBody(
      await postRelease(
        token,
        releaseForm(
          {
            version,
            hardware_revisions: `${hw}, ${hw}-b`,
            channel: "beta",
            notes: "Better sleep staging",
            mandatory: "true",
            rollout_percent: "25",
            failure_threshold_percent: "5",
            min_reports: "50",
            sha256: (await sha256Hex(binary)).toUpperCase(),
          },
          binary,
        ),
      ),
      201,
      AdminFirmwareReleaseSchema,
    );
    expect(created).toMatchObject({
      version,
      hardwareRevisions: [hw, `${hw}-b`].sort(),
      channel: "beta",
      status: "draft",
      notes: "Better sleep staging",
      mandatory: true,
      rolloutPercent: 25,
      failureThresholdPercent: 5,
      minReports: 50,
      size: binary.length,
      sha256: await sha256Hex(binary),
      publishedAt: null,
      downloads: 0,
    });
    const object = await env.FIRMWARE.get(`releases/${created.id}`);
    expect(new Uint8Array(await (object as R2ObjectBody).arrayBuffer())).toEqual(binary);
    const [entry] = await auditOf(token, created.id);
    expect(entry).toMatchObject({ action: "firmware.create", actorEmail: "admin@nowatch.local", before: null });
    expect(entry?.after).toMatchObject({ id: created.id, status: "draft" });
  });

  it("defaults: stable, 100% rollout, threshold 10% after 20 reports, not mandatory; hardware_revisions may repeat", async () => {
    const token = await adminToken();
    const form = releaseForm({ version: freshVersion() });
    const hw = freshHardware();
    form.append("hardware_revisions", hw);
    form.append("hardware_revisions", `${hw}-2`);
    const created = expectBody(await postRelease(token, form), 201, AdminFirmwareReleaseSchema);
    expect(created).toMatchObject({
      channel: "stable",
      rolloutPercent: 100,
      failureThresholdPercent: 10,
      minReports: 20,
      mandatory: false,
      minVersion: null,
      notes: "",
      hardwareRevisions: [hw, `${hw}-2`],
    });
  });

  it.each([
    ["a non-semver version", { version: "1.2" }, "version"],
    ["a version with a v", { version: "v1.2.3" }, "version"],
    ["no version", { version: undefined }, "version"],
    ["no hardware revision", { hardware_revisions: undefined }, "hardware_revisions"],
    ["a bad hardware revision", { hardware_revisions: "rev 1" }, "hardware_revisions"],
    ["rollout above 100", { rollout_percent: "101" }, "rollout_percent"],
    ["rollout below 0", { rollout_percent: "-1" }, "rollout_percent"],
    ["rollout not a number", { rollout_percent: "half" }, "rollout_percent"],
    ["a fractional rollout", { rollout_percent: "12.5" }, "rollout_percent"],
    ["a threshold above 100", { failure_threshold_percent: "150" }, "failure_threshold_percent"],
    ["a negative min_reports", { min_reports: "-3" }, "min_reports"],
    ["an unknown channel", { channel: "nightly" }, "channel"],
    ["mandatory not a boolean", { mandatory: "yes" }, "mandatory"],
    ["a min_version not older", { min_version: "9.9.9" }, "min_version"],
    ["a bad sha256", { sha256: "abc" }, "sha256"],
    ["an unknown field", { colour: "red" }, "colour"],
  ])("400 for %s, naming %s; nothing stored", async (_, override, field) => {
    const token = await adminToken();
    const fields: Record<string, string> = { version: "1.0.0", hardware_revisions: freshHardware() };
    for (const [k, v] of Object.entries(override)) {
      if (v === undefined) delete fields[k];
      else fields[k] = v;
    }
    const before = await storedState();
    const res = await postRelease(token, releaseForm(fields));
    expectError(res, 400, "VALIDATION_FAILED");
    expect(res.body.message.join(" ")).toContain(field);
    expectNoStoredRelease(before, await storedState());
  });

  it("fields after the binary are checked too, and the streamed binary is dropped", async () => {
    const token = await adminToken();
    const form = new FormData();
    form.append("file", new File([noise(10_000, 2)], "f.bin"));
    form.append("version", "not-a-version");
    form.append("hardware_revisions", freshHardware());
    const before = await storedState();
    expectError(await postRelease(token, form), 400);
    expectNoStoredRelease(before, await storedState());
  });

  it("400 when the binary's SHA-256 is not the one given; nothing stored", async () => {
    const token = await adminToken();
    const before = await storedState();
    const res = await postRelease(
      token,
      releaseForm({ version: freshVersion(), hardware_revisions: freshHardware(), sha256: "0".repeat(64) }),
    );
    expectError(res, 400);
    expect(res.body.message.join(" ")).toContain("sha256");
    expectNoStoredRelease(before, await storedState());
  });

  it("409 for a version that exists for one of the hardware revisions (build metadata aside); nothing stored", async () => {
    const token = await adminToken();
    const hw = freshHardware();
    const version = freshVersion();
    await makeRelease(token, { version, hardware_revisions: hw }, { status: "draft" });
    const before = await storedState();
    for (const fields of [
      { version, hardware_revisions: hw },
      { version, hardware_revisions: `${freshHardware()},${hw}` },
      { version: `${version}+build.7`, hardware_revisions: hw },
    ]) {
      expectError(await postRelease(token, releaseForm(fields)), 409, "CONFLICT");
    }
    expectNoStoredRelease(before, await storedState());
    // The same version for another revision is another release.
    expectBody(
      await postRelease(token, releaseForm({ version, hardware_revisions: freshHardware() })),
      201,
      AdminFirmwareReleaseSchema,
    );
  });

  it("413 for an empty binary; 400 without one or with two; 415 for a body that is not a form", async () => {
    const token = await adminToken();
    const before = await storedState();
    const fields = { version: freshVersion(), hardware_revisions: freshHardware() };
    expectError(await postRelease(token, releaseForm(fields, new Uint8Array(0))), 413, "PAYLOAD_TOO_LARGE");
    expectError(await postRelease(token, releaseForm(fields, null)), 400);
    const two = releaseForm(fields);
    two.append("file", new File([noise(10, 1)], "second.bin"));
    expectError(await postRelease(token, two), 400);
    expectError(await call("POST", "/v1/admin/firmware", { token, body: fields }), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(
      await call("POST", "/v1/admin/firmware", {
        token,
        raw: "--x\r\nbroken",
        contentType: "multipart/form-data; boundary=x",
      }),
      400,
    );
    expectNoStoredRelease(before, await storedState());
  });

  it("413 for a declared body over the limit, before reading it", async () => {
    const token = await adminToken();
    const res = await call("POST", "/v1/admin/firmware", {
      token,
      raw: "x",
      headers: { "content-length": String(LIMITS.firmwareMaxBytes + 2 * 1024 * 1024) },
      contentType: "multipart/form-data; boundary=x",
    });
    expectError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  it("413 for a streamed binary past 100 MB, with no length declared; the partial upload is discarded", async () => {
    const token = await adminToken();
    const before = await storedState();
    const { body, contentType } = streamedForm(
      { version: freshVersion(), hardware_revisions: freshHardware() },
      LIMITS.firmwareMaxBytes + 1,
    );
    const res = await exports.default.fetch(
      new Request("http://localhost/v1/admin/firmware", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": contentType },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe("PAYLOAD_TOO_LARGE");
    expectNoStoredRelease(before, await storedState());
    const uploads = await env.FIRMWARE.list({ prefix: "releases/", include: ["customMetadata"] });
    expect(uploads.objects.map((o) => o.key).sort()).toEqual(before.objects);
  }, 60_000);
});

describe("GET /v1/admin/firmware and /{id}", () => {
  it("lists every status, newest first, with filters; the detail has the report counts", async () => {
    const token = await adminToken();
    const hw = freshHardware();
    const draft = await makeRelease(token, { version: "1.0.0", hardware_revisions: hw }, { status: "draft" });
    const live = await makeRelease(token, { version: "1.1.0", hardware_revisions: hw, channel: "beta" });
    const all = expectBody(
      await call("GET", `/v1/admin/firmware?hardware_revision=${hw}`, { token }),
      200,
      z.array(AdminFirmwareReleaseSchema),
    );
    expect(all.map((r) => r.id)).toEqual([live.id, draft.id]);
    const drafts = expectBody(
      await call("GET", `/v1/admin/firmware?hardware_revision=${hw}&status=draft`, { token }),
      200,
      z.array(AdminFirmwareReleaseSchema),
    );
    expect(drafts.map((r) => r.id)).toEqual([draft.id]);
    const betas = expectBody(
      await call("GET", `/v1/admin/firmware?hardware_revision=${hw}&channel=beta`, { token }),
      200,
      z.array(AdminFirmwareReleaseSchema),
    );
    expect(betas.map((r) => r.id)).toEqual([live.id]);
    expectError(await call("GET", "/v1/admin/firmware?status=gone", { token }), 400);

    const tester = await newUser("tester");
    await env.DB.prepare("UPDATE users SET is_early_access = 1 WHERE id = ?").bind(tester.id).run();
    await call("POST", `/v1/firmware/${live.id}/report`, {
      token: tester.access,
      body: { status: "FAILED", hardware_revision: hw, error: "boot loop" },
    });
    const detail = expectBody(
      await call("GET", `/v1/admin/firmware/${live.id}`, { token }),
      200,
      AdminFirmwareDetailSchema,
    );
    expect(detail.failures).toBe(1);
    expect(detail.reports.failureRatePercent).toBe(100);
    expect(detail.reports.byHardwareRevision[hw]).toEqual({ DOWNLOADED: 0, INSTALLED: 0, FAILED: 1 });
    expect(detail.reports.recentFailures).toEqual([
      expect.objectContaining({ hardwareRevision: hw, error: "boot loop" }),
    ]);
    const empty = expectBody(
      await call("GET", `/v1/admin/firmware/${draft.id}`, { token }),
      200,
      AdminFirmwareDetailSchema,
    );
    expect(empty.reports.failureRatePercent).toBeNull();
    expectError(await call("GET", `/v1/admin/firmware/${crypto.randomUUID()}`, { token }), 404);
  });
});

describe("PATCH /v1/admin/firmware/{id}", () => {
  it("publish, halt, resume, retire: each audited with the release before and after", async () => {
    const token = await adminToken();
    const release = await makeRelease(
      token,
      { version: freshVersion(), hardware_revisions: freshHardware() },
      { status: "draft" },
    );
    const published = await patch(token, release.id, { status: "published", rollout_percent: 10 });
    expect(published).toMatchObject({ status: "published", rolloutPercent: 10 });
    expect(published.publishedAt).not.toBeNull();
    const halted = await patch(token, release.id, { status: "halted" });
    expect(halted).toMatchObject({ status: "halted", haltReason: "admin" });
    const resumed = await patch(token, release.id, {
      status: "published",
      failure_threshold_percent: 30,
      min_reports: 5,
    });
    expect(resumed).toMatchObject({
      status: "published",
      haltReason: null,
      haltedAt: null,
      failureThresholdPercent: 30,
      minReports: 5,
    });
    expect(resumed.publishedAt).toBe(published.publishedAt);
    const edited = await patch(token, release.id, {
      notes: "Now with notes",
      mandatory: true,
      channel: "beta",
      min_version: "0.0.1",
    });
    expect(edited).toMatchObject({ notes: "Now with notes", mandatory: true, channel: "beta", minVersion: "0.0.1" });
    const retired = await patch(token, release.id, { status: "retired" });
    expect(retired.status).toBe("retired");
    expect(retired.retiredAt).not.toBeNull();
    const log = await auditOf(token, release.id);
    expect(log.map((e) => e.action)).toEqual([
      "firmware.retire",
      "firmware.update",
      "firmware.resume",
      "firmware.halt",
      "firmware.publish",
      "firmware.create",
    ]);
    expect(log[4]?.before).toMatchObject({ status: "draft", rolloutPercent: 100 });
    expect(log[4]?.after).toMatchObject({ status: "published", rolloutPercent: 10 });
    const stored = expectBody(
      await call("GET", `/v1/admin/firmware/${release.id}`, { token }),
      200,
      AdminFirmwareDetailSchema,
    );
    expect(stored).toMatchObject({ status: "retired", notes: "Now with notes", channel: "beta" });
  });

  it("409 for a move the lifecycle does not have, and for any change to a retired release; nothing changes", async () => {
    const token = await adminToken();
    const draft = await makeRelease(
      token,
      { version: freshVersion(), hardware_revisions: freshHardware() },
      { status: "draft" },
    );
    expectError(await call("PATCH", `/v1/admin/firmware/${draft.id}`, { token, body: { status: "halted" } }), 409);
    const live = await makeRelease(token, { version: freshVersion(), hardware_revisions: freshHardware() });
    expectError(await call("PATCH", `/v1/admin/firmware/${live.id}`, { token, body: { status: "draft" } }), 409);
    const retired = await makeRelease(
      token,
      { version: freshVersion(), hardware_revisions: freshHardware() },
      { status: "retired" },
    );
    for (const body of [{ status: "published" }, { notes: "x" }, { status: "retired" }]) {
      expectError(await call("PATCH", `/v1/admin/firmware/${retired.id}`, { token, body }), 409);
    }
    expect((await auditOf(token, draft.id)).map((e) => e.action)).toEqual(["firmware.create"]);
  });

  it.each([
    [{ rollout_percent: 101 }],
    [{ rollout_percent: -5 }],
    [{ rollout_percent: "50" }],
    [{ failure_threshold_percent: 100.5 }],
    [{ min_reports: -1 }],
    [{ status: "paused" }],
    [{ channel: "alpha" }],
    [{ min_version: "1.0" }],
    [{ version: "9.9.9" }],
    [{}],
  ])("400 for %j; nothing changes", async (body) => {
    const token = await adminToken();
    const release = await makeRelease(
      token,
      { version: "5.0.0", hardware_revisions: freshHardware() },
      { status: "draft" },
    );
    expectError(await call("PATCH", `/v1/admin/firmware/${release.id}`, { token, body }), 400);
    const stored = expectBody(
      await call("GET", `/v1/admin/firmware/${release.id}`, { token }),
      200,
      AdminFirmwareDetailSchema,
    );
    expect(stored).toMatchObject({ status: "draft", rolloutPercent: 100, updatedAt: release.updatedAt });
  });

  it("400 for a min_version not older than the release; 404 for an unknown id", async () => {
    const token = await adminToken();
    const release = await makeRelease(
      token,
      { version: "2.0.0", hardware_revisions: freshHardware() },
      { status: "draft" },
    );
    expectError(
      await call("PATCH", `/v1/admin/firmware/${release.id}`, { token, body: { min_version: "2.0.0" } }),
      400,
    );
    expectError(await call("PATCH", `/v1/admin/firmware/${crypto.randomUUID()}`, { token, body: { notes: "x" } }), 404);
  });
});

describe("DELETE /v1/admin/firmware/{id}", () => {
  it("deletes drafts and retired releases with their binary; refuses published and halted ones", async () => {
    const token = await adminToken();
    const draft = await makeRelease(
      token,
      { version: freshVersion(), hardware_revisions: freshHardware() },
      { status: "draft" },
    );
    const retired = await makeRelease(
      token,
      { version: freshVersion(), hardware_revisions: freshHardware() },
      { status: "retired" },
    );
    const live = await makeRelease(token, { version: freshVersion(), hardware_revisions: freshHardware() });
    const halted = await makeRelease(
      token,
      { version: freshVersion(), hardware_revisions: freshHardware() },
      { status: "halted" },
    );
    for (const release of [draft, retired]) {
      const res = await call("DELETE", `/v1/admin/firmware/${release.id}`, { token });
      expect(res.status).toBe(204);
      expect(await env.FIRMWARE.head(`releases/${release.id}`)).toBeNull();
      expectError(await call("GET", `/v1/admin/firmware/${release.id}`, { token }), 404);
      const [entry] = await auditOf(token, release.id);
      expect(entry).toMatchObject({ action: "firmware.delete", after: null });
      expect(entry?.before).toMatchObject({ id: release.id });
    }
    for (const release of [live, halted]) {
      expectError(await call("DELETE", `/v1/admin/firmware/${release.id}`, { token }), 409);
      expect(await env.FIRMWARE.head(`releases/${release.id}`)).not.toBeNull();
    }
    expectError(await call("DELETE", `/v1/admin/firmware/${crypto.randomUUID()}`, { token }), 404);
  });
});

describe("GET /v1/admin/audit-log", () => {
  it("pages newest first by cursor; a bad cursor is a 400", async () => {
    const token = await adminToken();
    const release = await makeRelease(
      token,
      { version: freshVersion(), hardware_revisions: freshHardware() },
      { status: "retired" },
    );
    // create, publish, retire
    const first = await call<AuditPage>("GET", `/v1/admin/audit-log?target_id=${release.id}&limit=2`, { token });
    expect(first.body.entries.map((e) => e.action)).toEqual(["firmware.retire", "firmware.publish"]);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await call<AuditPage>(
      "GET",
      `/v1/admin/audit-log?target_id=${release.id}&limit=2&cursor=${first.body.nextCursor}`,
      { token },
    );
    expect(second.body.entries.map((e) => e.action)).toEqual(["firmware.create"]);
    expect(second.body.nextCursor).toBeNull();
    expectError(await call("GET", "/v1/admin/audit-log?cursor=nope", { token }), 400);
    expectError(await call("GET", "/v1/admin/audit-log?limit=0", { token }), 400);
  });
});

describe("admin-firmware access", () => {
  it("a signed-in user who is not an admin gets 403 on every admin operation; nobody signed in gets 401", async () => {
    const admin = await adminToken();
    const release = await makeRelease(
      admin,
      { version: freshVersion(), hardware_revisions: freshHardware() },
      { status: "draft" },
    );
    const user = await newUser();
    const requests: [string, string, Parameters<typeof call>[2]][] = [
      [
        "POST",
        "/v1/admin/firmware",
        { raw: releaseForm({ version: freshVersion(), hardware_revisions: freshHardware() }) },
      ],
      ["GET", "/v1/admin/firmware", {}],
      ["GET", `/v1/admin/firmware/${release.id}`, {}],
      ["PATCH", `/v1/admin/firmware/${release.id}`, { body: { status: "published" } }],
      ["DELETE", `/v1/admin/firmware/${release.id}`, {}],
      ["GET", "/v1/admin/audit-log", {}],
    ];
    const before = await storedState();
    for (const [method, path, options] of requests) {
      expectError(await call(method, path, { ...options, token: user.access }), 403, "FORBIDDEN");
      expectError(await call(method, path, options), 401, "UNAUTHORIZED");
    }
    expectNoStoredRelease(before, await storedState());
    const stored = expectBody(
      await call("GET", `/v1/admin/firmware/${release.id}`, { token: admin }),
      200,
      AdminFirmwareDetailSchema,
    );
    expect(stored.status).toBe("draft");
  });
});
