import { eq } from "drizzle-orm";
import { newUuid } from "../lib/ids";
import { nowIso } from "../lib/time";
import type { Db } from "./index";
import { type BetaAccessStatus, betaAccessRequests, users } from "./schema";

/**
 * Records a beta-access request. Returns true when a new PENDING request now exists (so the notice should be mailed):
 * asking again while PENDING or after approval changes nothing; asking after a denial reopens the request.
 */
export async function requestBetaAccess(db: Db, userId: string): Promise<boolean> {
  const now = nowIso();
  const rows = await db
    .insert(betaAccessRequests)
    .values({ id: newUuid(), userId, status: "PENDING", requestedAt: now })
    .onConflictDoUpdate({
      target: betaAccessRequests.userId,
      set: { status: "PENDING", requestedAt: now, decidedAt: null, decidedBy: null },
      setWhere: eq(betaAccessRequests.status, "DENIED"),
    })
    .returning({ id: betaAccessRequests.id });
  return rows.length === 1;
}

function selectRequests(db: Db) {
  return db
    .select({
      id: betaAccessRequests.id,
      userId: betaAccessRequests.userId,
      email: users.email,
      firstName: users.firstName,
      lastName: users.lastName,
      status: betaAccessRequests.status,
      requestedAt: betaAccessRequests.requestedAt,
      decidedAt: betaAccessRequests.decidedAt,
      decidedBy: betaAccessRequests.decidedBy,
    })
    .from(betaAccessRequests)
    .innerJoin(users, eq(users.id, betaAccessRequests.userId));
}

export function listBetaAccessRequests(db: Db, status: BetaAccessStatus | undefined, limit: number, offset: number) {
  return selectRequests(db)
    .where(status ? eq(betaAccessRequests.status, status) : undefined)
    .orderBy(betaAccessRequests.requestedAt, betaAccessRequests.id)
    .limit(limit)
    .offset(offset);
}

export function findBetaAccessRequest(db: Db, id: string) {
  return selectRequests(db).where(eq(betaAccessRequests.id, id)).get();
}

export type BetaDecision = "APPROVED" | "DENIED";

/**
 * Decides a PENDING request; approval also sets the user's `isEarlyAccess`. Both writes go in one D1 batch (one
 * transaction). Returns "not_found" or "already_decided" without changing anything.
 */
export async function decideBetaAccess(
  db: Db,
  id: string,
  decision: BetaDecision,
  admin: { id: string; email: string },
) {
  const request = await db.select().from(betaAccessRequests).where(eq(betaAccessRequests.id, id)).get();
  if (!request) return { ok: false as const, reason: "not_found" as const };
  if (request.status !== "PENDING") return { ok: false as const, reason: "already_decided" as const };
  const now = nowIso();
  const d1 = db.$client;
  const after = { ...request, status: decision, decidedAt: now, decidedBy: admin.id };
  const statements = [
    d1
      .prepare(
        "UPDATE beta_access_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'PENDING' RETURNING id",
      )
      .bind(decision, now, admin.id, id),
    // The audit entry only if this admin's decision is the one stored (a concurrent decision wins otherwise).
    d1
      .prepare(
        `INSERT INTO audit_log (id, at, actor_id, actor_email, action, target_type, target_id, before, after)
        SELECT ?, ?, ?, ?, ?, 'beta_access_request', ?, ?, ?
        WHERE EXISTS (SELECT 1 FROM beta_access_requests WHERE id = ? AND status = ? AND decided_by = ? AND decided_at = ?)`,
      )
      .bind(
        crypto.randomUUID(),
        now,
        admin.id,
        admin.email,
        decision === "APPROVED" ? "beta_access.approve" : "beta_access.deny",
        id,
        JSON.stringify(request),
        JSON.stringify(after),
        id,
        decision,
        admin.id,
        now,
      ),
  ];
  if (decision === "APPROVED") {
    statements.push(
      d1
        .prepare(
          "UPDATE users SET is_early_access = 1, updated_at = ? WHERE id = ? AND EXISTS (SELECT 1 FROM beta_access_requests WHERE id = ? AND status = 'APPROVED')",
        )
        .bind(now, request.userId, id),
    );
  }
  const [decided] = await d1.batch(statements);
  if (decided?.results.length !== 1) return { ok: false as const, reason: "already_decided" as const };
  return { ok: true as const };
}
