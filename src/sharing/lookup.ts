import type { Db } from "../db";
import { findActiveShare } from "../db/shares";
import { ownScope, type ReadScope, sharedScope } from "./policy";

/**
 * The read scope of a reader outside an HTTP request (an export job, the change feed, a queue consumer): one D1
 * query for another user's data, none for one's own. Pass it to `grantRead` (src/sharing/policy.ts) per data type,
 * exactly as the request path does.
 */
export async function lookupReadScope(db: Db, viewerId: string, ownerId: string, now = new Date()): Promise<ReadScope> {
  if (viewerId === ownerId) return ownScope(viewerId);
  return sharedScope(viewerId, ownerId, await findActiveShare(db, ownerId, viewerId, now));
}
