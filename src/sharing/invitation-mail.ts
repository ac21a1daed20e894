import type { Db } from "../db";
import type { InvitationKind, User } from "../db/schema";
import { createMailer } from "../mail/mailer";

/** The mail an invite or request sends its recipient: its wording, and the calls that answer it. */

type MailEnv = Parameters<typeof createMailer>[1];

/** Names go into a mail subject: keep them on one line. */
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** The invite or request mail, with what to call to answer it (contract §11: "B gets an email", "B is notified"). */
export function mailInvitation(
  db: Db,
  env: MailEnv,
  kind: InvitationKind,
  sender: User,
  recipient: { email: string; hasAccount: boolean },
  shareSince: string,
) {
  const name = oneLine(`${sender.firstName} ${sender.lastName}`);
  const since = shareSince.slice(0, 10);
  const answer = (path: string) => `POST /v1/sharing/${path} with {"email": "${sender.email}"}`;
  const noAccount = recipient.hasAccount
    ? []
    : [
        `You have no NOWATCH account yet: register with this address (${recipient.email}) and it will be waiting for you.`,
      ];
  const mail =
    kind === "INVITE"
      ? {
          kind: "SHARING_INVITE" as const,
          subject: `${name} wants to share their NOWATCH dashboard with you`,
          body: [
            `${name} <${sender.email}> invites you to see their NOWATCH dashboard, with data from ${since} on.`,
            "",
            `To accept, open Sharing in the NOWATCH app, or call ${answer("invite/accept")}.`,
            `To decline, call ${answer("invite/reject")}; ${name} is not notified.`,
            ...noAccount,
          ].join("\n"),
        }
      : {
          kind: "SHARING_REQUEST" as const,
          subject: `${name} asks to see your NOWATCH dashboard`,
          body: [
            `${name} <${sender.email}> asks to see your NOWATCH dashboard, with data from ${since} on.`,
            "",
            `To accept, open Sharing in the NOWATCH app, or call ${answer("request/accept")} (optionally with "types" and "expiresAt" to limit what they see).`,
            `To decline, call ${answer("request/reject")}.`,
            ...noAccount,
          ].join("\n"),
        };
  return createMailer(db, env).send({ ...mail, to: recipient.email });
}
