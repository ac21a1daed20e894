import type { AuditInput } from "../../db/firmware";
import type { User } from "../../db/schema";

/** An audit entry for an admin's action on a firmware release. */
export function auditOf(
  admin: Pick<User, "id" | "email">,
  action: string,
  targetId: string,
  before: unknown,
  after: unknown,
  at: string,
): AuditInput {
  return {
    id: crypto.randomUUID(),
    at,
    actorId: admin.id,
    actorEmail: admin.email,
    action,
    targetType: "firmware_release",
    targetId,
    before,
    after,
  };
}
