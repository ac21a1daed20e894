import { createHash } from "node:crypto";
import { getDb } from "../db";
import { completeExportJob, failExportJob, findExportJobById, recordExportAttempt } from "../db/export-jobs";
import type { ExportJob } from "../db/schema";
import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { DAY_MS } from "../lib/time";
import { buildArchive, ExportError } from "./archive";
import { R2PartWriter } from "./part-writer";
import { type ExportRequest, planExport } from "./plan";
import { storeSource } from "./store-source";
import type { ExportFormat } from "./types";

/**
 * Asynchronous exports (docs/exports.md "Jobs"): POST /v1/user/export/create writes the job and sends this message;
 * the queue consumer builds the archive into the EXPORTS bucket with a multipart upload. A delivery that fails is
 * retried with backoff; the last allowed one marks the job FAILED, and the sweep (src/exports/sweep.ts) fails any
 * job that outlives every delivery, so no job stays IN_PROGRESS.
 */

export const EXPORT_MESSAGE_KIND = "export";
export interface ExportJobMessage {
  kind: typeof EXPORT_MESSAGE_KIND;
  jobId: string;
}

/**
 * Where a job's archive lives: under its owner, so account deletion removes every archive by prefix; one key per
 * run, so that a second delivery of the same message (queues deliver at least once) racing the first never deletes
 * the archive the other one completed the job with.
 */
export const exportObjectPrefix = (userId: string) => `exports/${userId}/`;
export const exportObjectKey = (userId: string, jobId: string, runId: string) =>
  `${exportObjectPrefix(userId)}${jobId}/${runId}.zip`;

/** Seconds before delivery `attempt + 1`: 30 s, 60 s, 120 s…, at most 15 minutes. */
export const retryDelaySeconds = (attempt: number) => Math.min(30 * 2 ** Math.max(attempt - 1, 0), 900);

/** The reason a FAILED job shows its owner when building kept failing for reasons of ours. */
export const FAILED_REASON = "The archive could not be built; create a new export";

export type JobOutcome = "completed" | "skipped" | "refused";

/** Builds one job's archive into EXPORTS. Throws on a failure worth retrying; a refusal marks the job FAILED. */
export async function runExportJob(env: Env, jobId: string, attempt: number, now = new Date()): Promise<JobOutcome> {
  const db = getDb(env.DB);
  const job = await findExportJobById(db, jobId);
  if (job?.status !== "IN_PROGRESS") return "skipped"; // done, failed by the sweep, or the account is gone
  await recordExportAttempt(db, jobId, attempt, now.toISOString());
  let plan: Awaited<ReturnType<typeof planExport>>;
  try {
    plan = await planExport(db, requestOf(job), now);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // A share revoked or narrowed since the job was created: nothing is exported.
    await failExportJob(db, jobId, "A user whose data was asked for no longer shares it with you", now.toISOString());
    return "refused";
  }

  const key = exportObjectKey(job.userId, job.id, crypto.randomUUID());
  const writer = await R2PartWriter.start(env.EXPORTS, key, {
    httpMetadata: { contentType: "application/zip" },
    customMetadata: { jobId: job.id, userId: job.userId },
  });
  const hash = createHash("sha256");
  try {
    const archive = buildArchive(plan, storeSource(env, db), { generatedAt: now, path: "/v1/user/export/create" });
    for await (const piece of archive) {
      hash.update(piece);
      await writer.write(piece);
    }
  } catch (error) {
    await writer.abort();
    if (error instanceof ExportError) {
      await failExportJob(db, jobId, error.message, new Date().toISOString());
      return "refused";
    }
    throw error;
  }
  const object = await writer.finish();
  const done = new Date();
  const completed = await completeExportJob(
    db,
    jobId,
    {
      objectKey: key,
      sizeBytes: object.size,
      sha256: hash.digest("hex"),
      expiresAt: new Date(done.getTime() + LIMITS.exportRetentionDays * DAY_MS).toISOString(),
    },
    done.toISOString(),
  );
  // The sweep failed the job while it ran, or another delivery completed it first: this archive is no one's.
  if (!completed) await env.EXPORTS.delete(key);
  return completed ? "completed" : "skipped";
}

function requestOf(job: ExportJob): ExportRequest {
  return {
    callerId: job.userId,
    startDay: job.startDay,
    endDay: job.endDay,
    types: JSON.parse(job.types),
    userIds: JSON.parse(job.exportedUserIds),
    format: job.format as ExportFormat,
  };
}

/**
 * One delivery of an export message: ack when the job is done (or needs nothing), retry with backoff on a failure,
 * and on the last allowed delivery mark the job FAILED and ack, so the dead-letter queue keeps only messages no
 * handler knows.
 */
export async function handleExportMessage(env: Env, message: Message<ExportJobMessage>): Promise<void> {
  const { jobId } = message.body;
  try {
    const outcome = await runExportJob(env, jobId, message.attempts);
    console.log(JSON.stringify({ event: "export_job", jobId, attempt: message.attempts, outcome }));
    message.ack();
  } catch (error) {
    const last = message.attempts >= LIMITS.exportMaxAttempts;
    console.error(
      JSON.stringify({
        event: "export_job_failed",
        jobId,
        attempt: message.attempts,
        last,
        name: (error as Error).name,
      }),
    );
    if (!last) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      return;
    }
    try {
      await failExportJob(getDb(env.DB), jobId, FAILED_REASON, new Date().toISOString());
      message.ack();
    } catch {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) }); // D1 unreachable: the sweep ends it
    }
  }
}

/** Account deletion: every archive of the user, by prefix, a listing page (up to 1,000 keys) at a time. */
export async function deleteUserExports(bucket: R2Bucket, userId: string): Promise<void> {
  for (;;) {
    const listing = await bucket.list({ prefix: exportObjectPrefix(userId), limit: 1000 });
    if (listing.objects.length > 0) await bucket.delete(listing.objects.map((o) => o.key));
    if (!listing.truncated) return;
  }
}
