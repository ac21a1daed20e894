import type { Db } from "../db";
import { findInvitation } from "../db/invitations";
import type { Invitation, InvitationKind, User } from "../db/schema";
import { findShareRecord, updateActiveShare } from "../db/shares";
import { findUserByEmail } from "../db/users";
import { ApiError, conflict, notFound } from "../lib/errors";
import { nowIso } from "../lib/time";

/**
 * The invitation flow's rules and lookups (contract §11), shared by the twin routes of src/routes/sharing: who may
 * share, which pending invitation a call is about, and the owner's lookups and changes on a share by email. None of
 * it needs the request context; the mail sent on an invitation is in invitation-mail.ts.
 */

/**
 * What invites and requests have in common (contract §11 "Sharing Context"): an INVITE pushes the sender's
 * dashboard to the recipient, a REQUEST asks the recipient for theirs. The twin routes are built from this.
 */
export const KINDS = {
  INVITE: { kind: "INVITE", noun: "invite", path: "invite" },
  REQUEST: { kind: "REQUEST", noun: "request", path: "request" },
} as const satisfies Record<InvitationKind, { kind: InvitationKind; noun: string; path: string }>;

export type KindInfo = (typeof KINDS)[InvitationKind];

/**
 * Sharing needs a proven address at both ends (security finding 1): otherwise whoever registers an address first
 * would receive what was sent to its owner, or ask others for their data in its name.
 */
export function requireVerifiedEmail(user: User): void {
  if (user.emailVerifiedAt === null) {
    throw new ApiError(
      "EMAIL_NOT_VERIFIED",
      "Verify your email address first: POST /v1/auth/verify_email with the code mailed at registration (POST /v1/auth/verify_email/resend sends a new one)",
    );
  }
}

/**
 * The PENDING invitation of this kind that `senderEmail` sent to the caller, for the recipient's accept and reject.
 * An unknown email and a user who sent nothing get the same 404; an answered one is a 409.
 */
export async function receivedPending(
  db: Db,
  info: KindInfo,
  senderEmail: string,
  caller: User,
): Promise<{ invitation: Invitation; sender: User }> {
  requireVerifiedEmail(caller);
  const sender = await findUserByEmail(db, senderEmail);
  const invitation = sender && (await findInvitation(db, info.kind, sender.id, caller.email));
  // An unverified sender's invitations are not listed to the caller, so they are not found here either.
  if (!sender || !invitation || sender.emailVerifiedAt === null)
    throw notFound(`No sharing ${info.noun} from this email`);
  if (invitation.status !== "PENDING") {
    throw conflict(`This sharing ${info.noun} was already ${invitation.status.toLowerCase()}`);
  }
  return { invitation, sender };
}

/** The PENDING invitation of this kind the caller sent to the email, for the sender's delete and resend. */
export async function sentPending(db: Db, info: KindInfo, caller: User, recipientEmail: string): Promise<Invitation> {
  const invitation = await findInvitation(db, info.kind, caller.id, recipientEmail);
  if (!invitation) throw notFound(`No sharing ${info.noun} from you to this email`);
  if (invitation.status !== "PENDING") {
    throw conflict(
      `This sharing ${info.noun} was already ${invitation.status.toLowerCase()}; only a pending one can change`,
    );
  }
  return invitation;
}

export const NOT_SHARING = "You are not sharing your dashboard with this email";

/** The viewer behind an email, for the owner's operations on a share; an unknown email is the same 404 as no share. */
export async function viewerByEmail(db: Db, email: string): Promise<User> {
  const viewer = await findUserByEmail(db, email);
  if (!viewer) throw notFound(NOT_SHARING);
  return viewer;
}

/**
 * The owner's change to an active share with the viewer behind `email` (shared-since, types, expiry): the updated
 * share record, or the same 404 whether the email is unknown or simply not shared with.
 */
export async function patchShare(
  db: Db,
  ownerId: string,
  email: string,
  patch: Parameters<typeof updateActiveShare>[3],
) {
  const viewer = await viewerByEmail(db, email);
  const now = nowIso();
  if (!(await updateActiveShare(db, ownerId, viewer.id, patch, now))) throw notFound(NOT_SHARING);
  const share = await findShareRecord(db, ownerId, viewer.id, now);
  if (!share) throw notFound(NOT_SHARING);
  return share;
}
