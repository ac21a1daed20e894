import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import {
  EXPORT_MESSAGE_KIND,
  type ExportJobMessage,
  FAILED_REASON,
  handleExportMessage,
  retryDelaySeconds,
} from "../../../src/exports/jobs";
import { TIMED_OUT_REASON } from "../../../src/exports/sweep";
import worker from "../../../src/index";
import { ExportJobSchema } from "../../../src/routes/user/export-schemas";
import { deliver, failingUploads, fetchRaw, jobRow, openArchive } from "../../fixtures/exports";
import { share } from "../../fixtures/sharing";
import { call, expectBody, expectError, newUser, type TestUser } from "../../helpers";
import { csv, DAY, DAY0, heartRate, isoDay, upload, zipped } from "../measurement/helpers";

/**
 * The asynchronous exports (contract §3 POST /v1/user/export/create, GET /v1/user/export/list,
 * GET /v1/user/export/{id}/result; docs/exports.md "Jobs"): the job's life through the queue consumer, its retries,
 * the sweep, the result's ranges and the refusals.
 */

const DAYS = `start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0 + DAY)}`;
const Jobs = z.array(ExportJobSchema);

async function createJob(user: TestUser, query = `${DAYS}&types=HEART_RATE`): Promise<string> {
  const res = await call("POST", `/v1/user/export/create?${query}`, { token: user.access });
  const body = expectBody(res, 201, z.object({ id: z.uuid() }));
  return body.id;
}

const list = async (user: TestUser) =>
  expectBody(await call("GET", "/v1/user/export/list", { token: user.access }), 200, Jobs);
const result = (user: TestUser, id: string, headers: Record<string, string> = {}) =>
  fetchRaw("GET", `/v1/user/export/${id}/result`, user.access, headers);

async function withData(prefix: string) {
  const user = await newUser(prefix);
  expect((await upload(user.access, "HEART_RATE", zipped(csv(heartRate(DAY0 + 3600, 5000))))).status).toBe(201);
  return user;
}

describe("export jobs: the life of a job", () => {
  it("create → IN_PROGRESS in the list → the consumer builds it → COMPLETED → the result is the archive", async () => {
    const user = await withData("job-life");
    const id = await createJob(user);
    const [listed] = await list(user);
    expect(listed).toMatchObject({
      id,
      userId: user.id,
      types: ["TIMELINE_TIME-SERIES_HEART-RATE"],
      exportedUserIds: [],
      startDay: isoDay(DAY0),
      endDay: isoDay(DAY0 + DAY),
      format: "csv",
    });
    const delivered = await deliver(id);
    expect(delivered.explicitAcks).toEqual([`msg-${id}-1`]);
    const [done] = await list(user);
    expect(done).toMatchObject({ id, status: "COMPLETED", reason: null });
    expect(Date.parse(done?.expiresAt ?? "")).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const res = await result(user, id);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-length")).toBe(String(done?.sizeBytes));
    const archive = await openArchive(res.bytes);
    expect(archive.manifest.files).toEqual([
      expect.objectContaining({ path: `users/${user.id}/measurements/HEART_RATE.csv`, records: 5000 }),
    ]);
    // A second delivery of the same message (queues deliver at least once) changes nothing.
    await deliver(id, 1);
    expect((await list(user))[0]).toMatchObject({ id, status: "COMPLETED", sizeBytes: done?.sizeBytes });
    expect((await result(user, id)).status).toBe(200);
  });

  it("the result resumes: Range answers 206 with Content-Range; an unsatisfiable range 416", async () => {
    const user = await withData("job-range");
    const id = await createJob(user);
    await deliver(id);
    const whole = await result(user, id);
    const size = whole.bytes.length;
    const part = await result(user, id, { range: "bytes=100-" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-${size - 1}/${size}`);
    expect(part.bytes).toEqual(whole.bytes.subarray(100));
    const etag = whole.headers.get("etag") as string;
    expect((await result(user, id, { range: "bytes=0-9", "if-range": etag })).status).toBe(206);
    expect((await result(user, id, { range: "bytes=0-9", "if-range": '"other"' })).status).toBe(200);
    const beyond = await result(user, id, { range: `bytes=${size}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${size}`);
  });

  it("409 while IN_PROGRESS, 404 for someone else's job or an unknown id, 401 without a token", async () => {
    const [user, other] = [await withData("job-409"), await newUser("job-404")];
    const id = await createJob(user);
    expect((await result(user, id)).status).toBe(409);
    expect((await result(other, id)).status).toBe(404);
    expect((await result(user, crypto.randomUUID())).status).toBe(404);
    expect((await result(user, "not-a-uuid")).status).toBe(404);
    expect((await fetchRaw("GET", `/v1/user/export/${id}/result`, undefined)).status).toBe(401);
    expect(await list(other)).toEqual([]);
  });

  it("410 after the retention period, before and after the sweep deleted the archive", async () => {
    const user = await withData("job-410");
    const id = await createJob(user);
    await deliver(id);
    const key = (await jobRow(id))?.object_key as string;
    expect(await env.EXPORTS.head(key)).not.toBeNull();
    await env.DB.prepare("UPDATE export_jobs SET expires_at = ? WHERE id = ?")
      .bind("2020-01-01T00:00:00.000Z", id)
      .run();
    expect((await result(user, id)).status).toBe(410);
    await sweep();
    expect(await env.EXPORTS.head(key)).toBeNull();
    expect((await jobRow(id))?.expired_at).not.toBeNull();
    const gone = await result(user, id);
    expect(gone.status).toBe(410);
    expect(gone.json).toMatchObject({ statusCode: 410, error: "GONE" });
  });
});

/** The cron trigger's run at `at`, through the Worker's scheduled handler. */
async function sweep(at = new Date()) {
  const ctx = createExecutionContext();
  const controller = createScheduledController({ scheduledTime: at, cron: "*/15 * * * *" });
  await worker.scheduled(controller, env);
  await waitOnExecutionContext(ctx);
}

describe("export jobs: failures", () => {
  it("the consumer fails twice, is retried with growing backoff, and still completes", async () => {
    const user = await withData("job-retry");
    const id = await createJob(user);
    const flaky = failingUploads(2);
    const first = await deliver(id, 1, flaky.env);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual([`msg-${id}-1`]);
    const second = await deliver(id, 2, flaky.env);
    expect(second.retryMessages.map((m) => m.msgId)).toEqual([`msg-${id}-2`]);
    expect(await jobRow(id)).toMatchObject({ status: "IN_PROGRESS", attempts: 2 });
    const third = await deliver(id, 3, flaky.env);
    expect(third.explicitAcks).toEqual([`msg-${id}-3`]);
    expect(await jobRow(id)).toMatchObject({ status: "COMPLETED", attempts: 3 });
    expect(flaky.calls()).toBe(3);
    expect((await result(user, id)).status).toBe(200);
  });

  it("each retry asks for exponential backoff: 30 s, 60 s, 120 s, at most 15 minutes", async () => {
    // The pool's queue result does not carry delays: a message of our own records what the consumer asked for.
    const user = await withData("job-backoff");
    const id = await createJob(user);
    const broken = failingUploads(Number.POSITIVE_INFINITY);
    const asked: (number | undefined)[] = [];
    for (const attempts of [1, 2, 3]) {
      const message = {
        id: `m${attempts}`,
        timestamp: new Date(),
        attempts,
        body: { kind: EXPORT_MESSAGE_KIND, jobId: id },
        ack() {},
        retry(options?: QueueRetryOptions) {
          asked.push(options?.delaySeconds);
        },
      } satisfies Message<ExportJobMessage>;
      await handleExportMessage(broken.env, message);
    }
    expect(asked).toEqual([30, 60, 120]);
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480, 900, 900]);
  });

  it("a consumer that always fails ends the job FAILED with a reason on the last delivery", async () => {
    const user = await withData("job-fail");
    const id = await createJob(user);
    const broken = failingUploads(Number.POSITIVE_INFINITY);
    for (const attempt of [1, 2, 3]) expect((await deliver(id, attempt, broken.env)).retryMessages).toHaveLength(1);
    const last = await deliver(id, 4, broken.env);
    expect(last.explicitAcks).toEqual([`msg-${id}-4`]);
    expect(await jobRow(id)).toMatchObject({ status: "FAILED", reason: FAILED_REASON, object_key: null });
    const res = await result(user, id);
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.json)).toContain(FAILED_REASON);
    expect(await env.EXPORTS.list({ prefix: `exports/${user.id}/` })).toMatchObject({ objects: [] });
  });

  it("the sweep ends a job abandoned IN_PROGRESS, and the consumer then leaves it alone", async () => {
    const user = await withData("job-abandoned");
    const id = await createJob(user);
    await sweep(new Date(Date.now() + 2 * 3600_000));
    expect(await jobRow(id)).toMatchObject({ status: "FAILED", reason: TIMED_OUT_REASON });
    expect((await deliver(id)).explicitAcks).toHaveLength(1);
    expect(await jobRow(id)).toMatchObject({ status: "FAILED" });
  });

  it("a share revoked between creation and the run: FAILED, nothing exported", async () => {
    const [viewer, owner] = [await newUser("job-revoke-v"), await withData("job-revoke-o")];
    await share(owner, viewer);
    const id = await createJob(viewer, `${DAYS}&types=HEART_RATE&encryptedUserIds=${owner.id}`);
    expect((await list(viewer))[0]?.exportedUserIds).toEqual([owner.id]);
    const revoked = await call("DELETE", "/v1/sharing", { token: owner.access, body: { email: viewer.email } });
    expect(revoked.status, revoked.text).toBe(200);
    await deliver(id);
    expect(await jobRow(id)).toMatchObject({ status: "FAILED", object_key: null });
    expect((await jobRow(id))?.reason).toContain("no longer shares");
  });
});

describe("export jobs: refusals", () => {
  it(`429 with Retry-After beyond the concurrent jobs; a finished one frees a place`, async () => {
    const user = await withData("job-429");
    const ids = [await createJob(user), await createJob(user), await createJob(user)];
    const refused = await call("POST", `/v1/user/export/create?${DAYS}`, { token: user.access });
    expectError(refused, 429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(await list(user)).toHaveLength(3);
    await deliver(ids[0] as string);
    expect(await createJob(user)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("403 for an unpermitted encryptedUserIds entry, and no job is written", async () => {
    const [user, stranger] = [await newUser("job-403"), await newUser("job-403-s")];
    const res = await call("POST", `/v1/user/export/create?${DAYS}&encryptedUserIds=${stranger.id}`, {
      token: user.access,
    });
    expectError(res, 403);
    expect(await list(user)).toEqual([]);
  });

  it("400 for bad input, and no job is written", async () => {
    const user = await newUser("job-400");
    for (const query of ["start_day=2025-01-01", `${DAYS}&types=NOPE`, "start_day=2024-01-01&end_day=2025-06-01"]) {
      expectError(await call("POST", `/v1/user/export/create?${query}`, { token: user.access }), 400);
    }
    expect(await list(user)).toEqual([]);
  });

  it("account deletion removes the user's archives", async () => {
    const user = await withData("job-delete");
    const id = await createJob(user);
    await deliver(id);
    expect((await env.EXPORTS.list({ prefix: `exports/${user.id}/` })).objects).toHaveLength(1);
    expect((await call("DELETE", "/v1/user", { token: user.access })).status).toBe(200);
    expect((await env.EXPORTS.list({ prefix: `exports/${user.id}/` })).objects).toEqual([]);
    expect(await jobRow(id)).toBeNull();
  });
});
