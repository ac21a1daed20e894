import type { Db } from "../../db";
import { conflictingHardware, findRelease, insertRelease, isUniqueViolation, type ReleaseRow } from "../../db/firmware";
import type { User } from "../../db/schema";
import { precedenceKey } from "../../firmware/semver";
import { objectKeyOf } from "../../firmware/storage";
import { badRequest, conflict } from "../../lib/errors";
import { nowIso } from "../../lib/time";
import { toAdmin } from "../firmware/schemas";
import { auditOf } from "./audit";
import type { ReleaseMetadata } from "./fields";

export const duplicate = (version: string, revisions: readonly string[]) =>
  conflict(`Version ${version} already exists for ${revisions.join(", ")}`);

/** 409 unless the version is new for every one of the release's hardware revisions. */
export async function checkNewVersion(db: Db, version: string, revisions: readonly string[]): Promise<void> {
  const taken = await conflictingHardware(db, precedenceKey(version), revisions);
  if (taken.length > 0) throw duplicate(version, taken);
}

/** 400 unless the binary received has the SHA-256 the admin gave (when one was given). */
export function checkDigest(metadata: Pick<ReleaseMetadata, "sha256">, sha256: string): void {
  if (metadata.sha256 !== undefined && metadata.sha256 !== sha256) {
    throw badRequest(`sha256: the binary received has SHA-256 ${sha256}, not ${metadata.sha256}`);
  }
}

/**
 * Writes a draft release whose binary is already at objectKeyOf(id), with its audit entry, and answers it. On a
 * refusal (a duplicate that slipped in meanwhile) the binary is deleted, so nothing is left stored.
 */
export async function storeDraft(
  db: Db,
  bucket: R2Bucket,
  admin: Pick<User, "id" | "email">,
  id: string,
  metadata: ReleaseMetadata,
  binary: { sizeBytes: number; sha256: string },
): Promise<ReleaseRow> {
  const now = nowIso();
  const release = {
    id,
    version: metadata.version,
    channel: metadata.channel,
    status: "draft" as const,
    rolloutPercent: metadata.rollout_percent,
    failureThresholdPercent: metadata.failure_threshold_percent,
    minReports: metadata.min_reports,
    mandatory: metadata.mandatory,
    minVersion: metadata.min_version ?? null,
    notes: metadata.notes,
    sizeBytes: binary.sizeBytes,
    sha256: binary.sha256,
    objectKey: objectKeyOf(id),
    createdBy: admin.id,
    createdAt: now,
    updatedAt: now,
  };
  const row: ReleaseRow = {
    ...release,
    hardwareRevisions: metadata.hardware_revisions,
    downloads: 0,
    installs: 0,
    failures: 0,
    haltReason: null,
    publishedAt: null,
    haltedAt: null,
    retiredAt: null,
  };
  try {
    await insertRelease(
      db,
      release,
      metadata.hardware_revisions,
      precedenceKey(metadata.version),
      auditOf(admin, "firmware.create", id, null, toAdmin(row), now),
    );
  } catch (error) {
    await bucket.delete(objectKeyOf(id));
    if (isUniqueViolation(error)) throw duplicate(metadata.version, metadata.hardware_revisions);
    throw error;
  }
  return (await findRelease(db, id)) ?? row;
}
