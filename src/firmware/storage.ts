import type { FirmwareUpload } from "../db/schema";

/** Where a release's binary lives in FIRMWARE (an upload session assembles it at the same key). */
export const objectKeyOf = (id: string) => `releases/${id}`;

/** Abandons an upload session's R2 multipart upload; an upload already gone is no error. */
export async function abortSession(bucket: R2Bucket, session: FirmwareUpload): Promise<void> {
  try {
    await bucket.resumeMultipartUpload(objectKeyOf(session.id), session.uploadId).abort();
  } catch {
    // completed, aborted or expired already
  }
}
