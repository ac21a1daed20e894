import type { Db } from "../db";
import { forbidden } from "../lib/errors";
import { lookupReadScope } from "../sharing/lookup";
import { grantRead, NO_ACCESS, type ReadGrant, type ReadScope } from "../sharing/policy";
import { type ExportFormat, type ExportSubject, exportSubject, shareTypeOf } from "./types";

/**
 * What one export reads, decided before the first byte is written (docs/exports.md "Who and what"): per exported
 * user, the read scope and the grant of each type. Every other user's scope goes through the one read policy
 * (src/sharing/policy.ts), exactly as a request with `shared-user` does.
 */

export interface ExportRequest {
  callerId: string;
  startDay: string;
  endDay: string;
  /** Canonical export types (src/exports/types.ts), in archive order. */
  types: readonly string[];
  /** Other users asked for, as sent (deduplicated; the caller's own id may be among them). */
  userIds: readonly string[];
  format: ExportFormat;
}

export interface PlannedType {
  exportType: string;
  subject: ExportSubject;
  /** The read's grant; for the profile card of another user, the grant of the share itself. */
  grant: ReadGrant;
}

export interface PlannedUser {
  userId: string;
  self: boolean;
  scope: ReadScope;
  /** The share's start for another user's data (ISO), null for one's own. */
  sharedSince: string | null;
  types: PlannedType[];
  /** Requested types the share does not include: left out of this user's folder, listed in the manifest. */
  notShared: string[];
}

export interface ExportPlan {
  request: ExportRequest;
  users: PlannedUser[];
}

/** The caller first, then the others in the order asked; the caller's own id among them is not repeated. */
export function exportedUsers(callerId: string, userIds: readonly string[]): string[] {
  return [...new Set([callerId, ...userIds])];
}

/** The grant of a type for a scope; the profile card goes with any active share. */
function grantOf(scope: ReadScope, subject: ExportSubject): ReadGrant | null {
  const shareType = shareTypeOf(subject);
  if (shareType !== null) return grantRead(scope, shareType);
  // Any type proves the share active and unexpired; the card is what GET /v1/shared shows the viewer anyway.
  if (!scope.viaShare) return grantRead(scope, "HEART_RATE");
  const share = scope.share;
  if (share === null) return null;
  return grantRead({ ...scope, share: { ...share, types: null } }, "HEART_RATE");
}

/**
 * The plan, or a 403 `NO_ACCESS` when any other user shares nothing with the caller, or nothing of what was asked:
 * the whole request is refused, with one answer for unknown ids, strangers and shares of other types.
 */
export async function planExport(db: Db, request: ExportRequest, now = new Date()): Promise<ExportPlan> {
  const ids = exportedUsers(request.callerId, request.userIds);
  const scopes = await Promise.all(ids.map((id) => lookupReadScope(db, request.callerId, id, now)));
  const users: PlannedUser[] = [];
  for (const scope of scopes) {
    const types: PlannedType[] = [];
    const notShared: string[] = [];
    for (const exportType of request.types) {
      const subject = exportSubject(exportType);
      const grant = grantOf(scope, subject);
      if (grant === null) notShared.push(exportType);
      else types.push({ exportType, subject, grant });
    }
    if (scope.viaShare && types.length === 0) throw forbidden(NO_ACCESS);
    const sharedSince = scope.viaShare && scope.share !== null ? scope.share.sharedSince : null;
    users.push({ userId: scope.ownerId, self: !scope.viaShare, scope, sharedSince, types, notShared });
  }
  return { request, users };
}
