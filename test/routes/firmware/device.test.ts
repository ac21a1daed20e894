import { env, exports } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { inRollout } from "../../../src/firmware/rollout";
import {
  FirmwareJwksSchema,
  FirmwareReleaseSchema,
  FirmwareUpdateSchema,
  ReportSchema,
} from "../../../src/routes/firmware/schemas";
import { noise } from "../../fixtures/bytes";
import {
  adminToken,
  earlyAccessUser,
  freshHardware,
  freshVersion,
  makeRelease,
  patch,
  releaseRow,
} from "../../fixtures/firmware";
import { call, expectBody, expectError, newUser } from "../../helpers";

/** The device side of firmware (docs/firmware.md "Device side"): latest, list, download, report, the JWKS. */

const latest = (token: string, hw: string, current: string) =>
  call(
    "GET",
    `/v1/firmware/latest?hardware_revision=${encodeURIComponent(hw)}&current_version=${encodeURIComponent(current)}`,
    {
      token,
    },
  );

async function bytesOf(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

const download = (token: string, id: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(
    new Request(`http://localhost/v1/firmware/${id}/download`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
    }),
  );

describe("GET /v1/firmware/latest", () => {
  it("offers the newest published release with a manifest the published keys verify offline", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const binary = noise(50_000, 9);
    await makeRelease(admin, { version: "1.0.0", hardware_revisions: hw });
    const newest = await makeRelease(
      admin,
      { version: "1.2.0", hardware_revisions: `${hw},NW-other-${hw}`, notes: "Fixes" },
      { binary },
    );
    await makeRelease(admin, { version: "1.3.0", hardware_revisions: hw }, { status: "draft" });
    const user = await newUser();
    const offer = expectBody(await latest(user.access, hw, "1.0.0"), 200, FirmwareUpdateSchema);
    expect(offer).toMatchObject({ id: newest.id, version: "1.2.0", size: 50_000, notes: "Fixes", mandatory: false });
    expect(offer.downloadUrl).toBe(`/v1/firmware/${newest.id}/download`);
    const jwks = expectBody(await call("GET", "/.well-known/firmware-signing-keys.json"), 200, FirmwareJwksSchema);
    const { payload, protectedHeader } = await jwtVerify(offer.manifest, createLocalJWKSet(jwks as never));
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(payload).toMatchObject({
      release_id: newest.id,
      version: "1.2.0",
      hardware_revision: hw,
      size: 50_000,
      sha256: offer.sha256,
      sub: user.id,
    });
    expect((payload.exp as number) * 1000).toBe(Date.parse(offer.manifestExpiresAt));
    // The manifest's digest is the binary's.
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", binary));
    expect(offer.sha256).toBe([...digest].map((b) => b.toString(16).padStart(2, "0")).join(""));
  });

  it("204 when up to date or ahead, or when nothing fits the hardware", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    await makeRelease(admin, { version: "2.0.0", hardware_revisions: hw });
    const user = await newUser();
    for (const current of ["2.0.0", "2.0.1", "3.0.0"]) {
      const res = await latest(user.access, hw, current);
      expect(res.status, current).toBe(204);
      expect(res.text).toBe("");
    }
    expect((await latest(user.access, freshHardware(), "0.0.1")).status).toBe(204);
  });

  it("stepping stones: from below min_version the watch is sent through the stone first", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const stone = await makeRelease(admin, { version: "1.5.0", hardware_revisions: hw });
    const final = await makeRelease(admin, {
      version: "2.0.0",
      hardware_revisions: hw,
      min_version: "1.5.0",
      mandatory: "true",
    });
    const user = await newUser();
    const first = expectBody(await latest(user.access, hw, "1.0.0"), 200, FirmwareUpdateSchema);
    expect(first).toMatchObject({ id: stone.id, steppingStone: true, mandatory: true });
    const second = expectBody(await latest(user.access, hw, "1.5.0"), 200, FirmwareUpdateSchema);
    expect(second).toMatchObject({ id: final.id, steppingStone: false, mandatory: true, minVersion: "1.5.0" });
  });

  it("beta releases reach early-access users only", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const beta = await makeRelease(admin, { version: "3.0.0-beta.1", hardware_revisions: hw, channel: "beta" });
    const user = await newUser();
    const tester = await earlyAccessUser();
    expect((await latest(user.access, hw, "2.0.0")).status).toBe(204);
    expect(expectBody(await latest(tester.access, hw, "2.0.0"), 200, FirmwareUpdateSchema).id).toBe(beta.id);
    expect((await download(user.access, beta.id)).status).toBe(404);
    expect((await download(tester.access, beta.id)).status).toBe(200);
  });

  it("staged rollout: the hash decides, the same way on every check, and raising the percentage only adds users", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const release = await makeRelease(admin, { version: "1.0.0", hardware_revisions: hw, rollout_percent: "30" });
    const users = await Promise.all(Array.from({ length: 12 }, () => newUser("rollout")));
    const offered = async () => {
      const answers = await Promise.all(users.map((u) => latest(u.access, hw, "0.9.0")));
      return answers.map((a) => a.status === 200);
    };
    const at30 = await offered();
    expect(at30).toEqual(users.map((u) => inRollout(release.id, u.id, 30)));
    expect(await offered()).toEqual(at30); // stable between checks
    await patch(admin, release.id, { rollout_percent: 80 });
    const at80 = await offered();
    expect(at80).toEqual(users.map((u) => inRollout(release.id, u.id, 80)));
    at30.forEach((inside, i) => {
      if (inside) expect(at80[i]).toBe(true);
    });
    await patch(admin, release.id, { rollout_percent: 0 });
    expect((await offered()).some(Boolean)).toBe(false);
  });

  it("halted and retired releases are not offered, and the previous one is again", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const old = await makeRelease(admin, { version: "1.0.0", hardware_revisions: hw });
    const bad = await makeRelease(admin, { version: "1.1.0", hardware_revisions: hw });
    const user = await newUser();
    expect(expectBody(await latest(user.access, hw, "0.1.0"), 200, FirmwareUpdateSchema).id).toBe(bad.id);
    await patch(admin, bad.id, { status: "halted" });
    expect(expectBody(await latest(user.access, hw, "0.1.0"), 200, FirmwareUpdateSchema).id).toBe(old.id);
    expect((await latest(user.access, hw, "1.0.0")).status).toBe(204);
    await patch(admin, old.id, { status: "retired" });
    expect((await latest(user.access, hw, "0.1.0")).status).toBe(204);
  });

  it.each([
    ["hardware_revision=NW1", "current_version"],
    ["current_version=1.0.0", "hardware_revision"],
    ["hardware_revision=NW1&current_version=1.0", "current_version"],
    ["hardware_revision=NW1&current_version=v1.0.0", "current_version"],
    ["hardware_revision=NW%201&current_version=1.0.0", "hardware_revision"],
    [`hardware_revision=${"x".repeat(65)}&current_version=1.0.0`, "hardware_revision"],
  ])("?%s: 400 naming %s", async (query, field) => {
    const user = await newUser();
    const res = await call("GET", `/v1/firmware/latest?${query}`, { token: user.access });
    expectError(res, 400, "VALIDATION_FAILED");
    expect(res.body.message.join(" ")).toContain(field);
  });

  it("401 without a token", async () => {
    expectError(await call("GET", "/v1/firmware/latest?hardware_revision=NW1&current_version=1.0.0"), 401);
    expectError(await call("GET", "/v1/firmware"), 401);
  });
});

describe("GET /v1/firmware", () => {
  it("lists the releases visible to the caller, highest version first, by hardware revision", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const a = await makeRelease(admin, { version: "1.0.0", hardware_revisions: hw });
    const b = await makeRelease(admin, { version: "1.10.0", hardware_revisions: hw });
    const c = await makeRelease(admin, { version: "1.9.0", hardware_revisions: hw });
    await makeRelease(admin, { version: "1.11.0", hardware_revisions: hw }, { status: "draft" });
    await makeRelease(admin, { version: "1.12.0", hardware_revisions: hw }, { status: "halted" });
    await makeRelease(admin, { version: "1.13.0-beta.1", hardware_revisions: hw, channel: "beta" });
    const user = await newUser();
    const list = expectBody(
      await call("GET", `/v1/firmware?hardware_revision=${hw}`, { token: user.access }),
      200,
      z.array(FirmwareReleaseSchema),
    );
    expect(list.map((r) => r.id)).toEqual([b.id, c.id, a.id]);
    const tester = await earlyAccessUser();
    const theirs = expectBody(
      await call("GET", `/v1/firmware?hardware_revision=${hw}`, { token: tester.access }),
      200,
      z.array(FirmwareReleaseSchema),
    );
    expect(theirs.map((r) => r.version)).toEqual(["1.13.0-beta.1", "1.10.0", "1.9.0", "1.0.0"]);
    for (const r of list) expect(Object.keys(r)).not.toContain("rolloutPercent"); // the device view has no admin fields
  });
});

describe("GET /v1/firmware/{id}/download", () => {
  it("streams the binary with its length, ETag and digest; a range resumes; If-Range guards the resume", async () => {
    const admin = await adminToken();
    const binary = noise(300_000, 4);
    const release = await makeRelease(
      admin,
      { version: freshVersion(), hardware_revisions: freshHardware() },
      { binary },
    );
    const user = await newUser();
    const whole = await download(user.access, release.id);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe("300000");
    expect(whole.headers.get("content-type")).toBe("application/octet-stream");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("repr-digest")).toBe(
      `sha-256=:${btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", binary))))}:`,
    );
    const etag = whole.headers.get("etag") as string;
    expect(await bytesOf(whole)).toEqual(binary);

    const rest = await download(user.access, release.id, { range: "bytes=100000-", "if-range": etag });
    expect(rest.status).toBe(206);
    expect(rest.headers.get("content-range")).toBe("bytes 100000-299999/300000");
    expect(rest.headers.get("content-length")).toBe("200000");
    expect(await bytesOf(rest)).toEqual(binary.subarray(100_000));

    const stale = await download(user.access, release.id, { range: "bytes=100000-", "if-range": '"other"' });
    expect(stale.status).toBe(200);
    expect((await bytesOf(stale)).length).toBe(300_000);

    const head = await exports.default.fetch(
      new Request(`http://localhost/v1/firmware/${release.id}/download`, {
        method: "HEAD",
        headers: { authorization: `Bearer ${user.access}` },
      }),
    );
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("300000");
    expect(head.headers.get("etag")).toBe(etag);
    expect((await bytesOf(head)).length).toBe(0);

    const outside = await download(user.access, release.id, { range: "bytes=300000-" });
    expect(outside.status).toBe(416);
    expect(outside.headers.get("content-range")).toBe("bytes */300000");
    await outside.arrayBuffer();
  });

  it("404 for a draft, a halted or retired release, an unknown id; 401 without a token", async () => {
    const admin = await adminToken();
    const user = await newUser();
    for (const status of ["draft", "halted", "retired"] as const) {
      const release = await makeRelease(
        admin,
        { version: freshVersion(), hardware_revisions: freshHardware() },
        { status },
      );
      const res = await download(user.access, release.id);
      expect(res.status, status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe("NOT_FOUND");
    }
    expect((await download(user.access, crypto.randomUUID())).status).toBe(404);
    const release = await makeRelease(admin, { version: freshVersion(), hardware_revisions: freshHardware() });
    const anonymous = await exports.default.fetch(new Request(`http://localhost/v1/firmware/${release.id}/download`));
    expect(anonymous.status).toBe(401);
    await anonymous.arrayBuffer();
  });

  it("404 for a user outside the rollout", async () => {
    const admin = await adminToken();
    const release = await makeRelease(admin, {
      version: freshVersion(),
      hardware_revisions: freshHardware(),
      rollout_percent: "0",
    });
    const user = await newUser();
    const res = await download(user.access, release.id);
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});

describe("POST /v1/firmware/{id}/report", () => {
  const report = (token: string, id: string, body: unknown) =>
    call("POST", `/v1/firmware/${id}/report`, { token, body });

  it("records outcomes once per device and status, and counts them", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const release = await makeRelease(admin, { version: freshVersion(), hardware_revisions: hw });
    const user = await newUser();
    const first = expectBody(
      await report(user.access, release.id, { status: "DOWNLOADED", hardware_revision: hw }),
      201,
      ReportSchema,
    );
    expect(first).toMatchObject({ releaseId: release.id, status: "DOWNLOADED", hardwareRevision: hw });
    expectBody(
      await report(user.access, release.id, { status: "DOWNLOADED", hardware_revision: hw }),
      201,
      ReportSchema,
    );
    expectBody(
      await report(user.access, release.id, { status: "INSTALLED", hardware_revision: hw }),
      201,
      ReportSchema,
    );
    expect(await releaseRow(release.id)).toMatchObject({ downloads: 1, installs: 1, failures: 0 });
  });

  it("halts the release when failures reach the threshold after min_reports, in the audit log as the system", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const release = await makeRelease(admin, {
      version: freshVersion(),
      hardware_revisions: hw,
      failure_threshold_percent: "50",
      min_reports: "4",
    });
    const devices = await Promise.all(Array.from({ length: 4 }, () => newUser("device")));
    const outcome = (i: number, status: string) =>
      report((devices[i] as { access: string }).access, release.id, {
        status,
        hardware_revision: hw,
        error: status === "FAILED" ? "flash write failed" : undefined,
      });
    expectBody(await outcome(0, "FAILED"), 201, ReportSchema); // 1 of 1: over 50%, but below min_reports
    expectBody(await outcome(1, "INSTALLED"), 201, ReportSchema);
    expectBody(await outcome(2, "INSTALLED"), 201, ReportSchema); // 1 of 3
    expect((await releaseRow(release.id))?.status).toBe("published");
    expectBody(await outcome(3, "FAILED"), 201, ReportSchema); // 2 of 4 = 50%, with 4 reports: halt
    const row = await releaseRow(release.id);
    expect(row).toMatchObject({ status: "halted", halt_reason: "auto", installs: 2, failures: 2 });
    const newcomer = await newUser();
    expect((await latest(newcomer.access, hw, "0.0.1")).status).toBe(204);
    const log = await call<{
      entries: {
        action: string;
        actorId: string | null;
        targetId: string;
        before: { status: string };
        after: { status: string };
      }[];
    }>("GET", `/v1/admin/audit-log?target_id=${release.id}&action=firmware.auto_halt`, { token: admin });
    expect(log.status).toBe(200);
    expect(log.body.entries).toHaveLength(1);
    expect(log.body.entries[0]).toMatchObject({
      actorId: null,
      targetId: release.id,
      before: { status: "published" },
      after: { status: "halted" },
    });
    // A device that had it still reports its outcome on the halted release.
    expectBody(await outcome(1, "DOWNLOADED"), 201, ReportSchema);
  });

  it("404 for a release the caller was never offered; 400 for bad bodies or another hardware revision", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const draft = await makeRelease(admin, { version: freshVersion(), hardware_revisions: hw }, { status: "draft" });
    const beta = await makeRelease(admin, { version: freshVersion(), hardware_revisions: hw, channel: "beta" });
    const outside = await makeRelease(admin, { version: freshVersion(), hardware_revisions: hw, rollout_percent: "0" });
    const open = await makeRelease(admin, { version: freshVersion(), hardware_revisions: hw });
    const user = await newUser();
    for (const id of [draft.id, beta.id, outside.id, crypto.randomUUID()]) {
      expectError(await report(user.access, id, { status: "INSTALLED", hardware_revision: hw }), 404, "NOT_FOUND");
    }
    for (const body of [
      {},
      { status: "DONE", hardware_revision: hw },
      { status: "INSTALLED" },
      { status: "INSTALLED", hardware_revision: "" },
      { status: "INSTALLED", hardware_revision: hw, extra: 1, error: 5 },
    ]) {
      expectError(await report(user.access, open.id, body), 400);
    }
    expectError(await report(user.access, open.id, { status: "INSTALLED", hardware_revision: freshHardware() }), 400);
    expect(await releaseRow(open.id)).toMatchObject({ downloads: 0, installs: 0, failures: 0 });
    expectError(
      await call("POST", `/v1/firmware/${open.id}/report`, { body: { status: "INSTALLED", hardware_revision: hw } }),
      401,
    );
  });

  it("a long error is cut to 2,000 characters", async () => {
    const admin = await adminToken();
    const hw = freshHardware();
    const release = await makeRelease(admin, { version: freshVersion(), hardware_revisions: hw });
    const user = await newUser();
    expectBody(
      await report(user.access, release.id, { status: "FAILED", hardware_revision: hw, error: "e".repeat(5000) }),
      201,
      ReportSchema,
    );
    const stored = await env.DB.prepare("SELECT error FROM firmware_reports WHERE release_id = ?")
      .bind(release.id)
      .first<{ error: string }>();
    expect(stored?.error.length).toBe(2000);
  });
});
