import { createHash } from "node:crypto";

/**
 * Staged rollout (docs/firmware.md "Staged rollout"): each (user, release) pair has a fixed bucket in [0, 10000),
 * the first 32 bits of SHA-256("<releaseId>:<userId>") modulo 10,000. The pair is in the rollout when its bucket is
 * below rollout_percent × 100. The bucket never changes, so raising the percentage only lets users in, and a user
 * never flips in and out between two checks. A new release draws new buckets, so the same users are not always first.
 */
export const BUCKETS = 10_000;

export function rolloutBucket(releaseId: string, userId: string): number {
  const digest = createHash("sha256").update(`${releaseId}:${userId}`).digest();
  return digest.readUInt32BE(0) % BUCKETS;
}

export function inRollout(releaseId: string, userId: string, rolloutPercent: number): boolean {
  if (rolloutPercent >= 100) return true;
  if (rolloutPercent <= 0) return false;
  return rolloutBucket(releaseId, userId) < rolloutPercent * (BUCKETS / 100);
}
