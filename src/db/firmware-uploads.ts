import { and, asc, eq, lt } from "drizzle-orm";
import type { Db } from "./index";
import { type FirmwareUpload, firmwareUploadParts, firmwareUploads } from "./schema";

/** Upload sessions of large firmware binaries (docs/firmware.md "Large binaries"). */

export function insertUpload(db: Db, upload: FirmwareUpload) {
  return db.insert(firmwareUploads).values(upload);
}

export function findUpload(db: Db, id: string): Promise<FirmwareUpload | undefined> {
  return db.select().from(firmwareUploads).where(eq(firmwareUploads.id, id)).get();
}

export function uploadParts(db: Db, id: string) {
  return db
    .select({
      partNumber: firmwareUploadParts.partNumber,
      etag: firmwareUploadParts.etag,
      sizeBytes: firmwareUploadParts.sizeBytes,
    })
    .from(firmwareUploadParts)
    .where(eq(firmwareUploadParts.uploadId, id))
    .orderBy(asc(firmwareUploadParts.partNumber));
}

/** Records a part (a part sent again replaces the earlier one, as R2 does). */
export function recordPart(db: Db, id: string, partNumber: number, etag: string, sizeBytes: number) {
  return db
    .insert(firmwareUploadParts)
    .values({ uploadId: id, partNumber, etag, sizeBytes })
    .onConflictDoUpdate({
      target: [firmwareUploadParts.uploadId, firmwareUploadParts.partNumber],
      set: { etag, sizeBytes },
    });
}

export function deleteUpload(db: Db, id: string) {
  return db.delete(firmwareUploads).where(eq(firmwareUploads.id, id)).returning({ id: firmwareUploads.id });
}

export function expiredUploads(db: Db, now: string, limit: number) {
  return db
    .select()
    .from(firmwareUploads)
    .where(and(lt(firmwareUploads.expiresAt, now)))
    .limit(limit);
}
