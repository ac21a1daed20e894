import { dayAfter, dayStart } from "../lib/time";
import type { ExportPlan } from "./plan";
import type { ZipEntryInfo } from "./zip-writer";

/** `manifest.json`, the last entry of every archive (docs/exports.md "Manifest"). */

export const MANIFEST_VERSION = 1;

/** A file of the archive as the builder wrote it. */
export interface ArchiveFile extends ZipEntryInfo {
  path: string;
  userId: string;
  /** The export type the file holds; null for a file holding several (the FHIR bundle, statistics.json). */
  exportType: string | null;
  /** Samples, records, documents or observations in the file. */
  records: number;
  firstDatetime?: string | null;
  lastDatetime?: string | null;
  /** Per export type, for a file holding several. */
  counts?: Record<string, number>;
}

export interface ArchiveManifest {
  format: "nowatch-export";
  version: number;
  generatedAt: string;
  fileFormat: string;
  exportedBy: string;
  range: { startDay: string; endDay: string; from: string; to: string };
  types: readonly string[];
  users: {
    userId: string;
    self: boolean;
    sharedSince: string | null;
    /** What this user's folder holds: [from, to) after the share's cut. */
    from: string;
    to: string;
    types: string[];
    notShared: string[];
  }[];
  files: {
    path: string;
    userId: string;
    type: string | null;
    records: number;
    bytes: number;
    compressedBytes: number;
    sha256: string;
    firstDatetime?: string | null;
    lastDatetime?: string | null;
    counts?: Record<string, number>;
  }[];
}

export function manifestOf(plan: ExportPlan, files: readonly ArchiveFile[], generatedAt: Date): ArchiveManifest {
  const { request } = plan;
  const from = dayStart(request.startDay);
  const to = dayAfter(request.endDay);
  return {
    format: "nowatch-export",
    version: MANIFEST_VERSION,
    generatedAt: generatedAt.toISOString(),
    fileFormat: request.format,
    exportedBy: request.callerId,
    range: { startDay: request.startDay, endDay: request.endDay, from, to },
    types: request.types,
    users: plan.users.map((user) => ({
      userId: user.userId,
      self: user.self,
      sharedSince: user.sharedSince,
      from: user.sharedSince !== null && Date.parse(user.sharedSince) > Date.parse(from) ? user.sharedSince : from,
      to,
      types: user.types.map((t) => t.exportType),
      notShared: user.notShared,
    })),
    files: files.map((f) => ({
      path: f.path,
      userId: f.userId,
      type: f.exportType,
      records: f.records,
      bytes: f.bytes,
      compressedBytes: f.compressedBytes,
      sha256: f.sha256,
      ...(f.firstDatetime !== undefined ? { firstDatetime: f.firstDatetime, lastDatetime: f.lastDatetime } : {}),
      ...(f.counts !== undefined ? { counts: f.counts } : {}),
    })),
  };
}
