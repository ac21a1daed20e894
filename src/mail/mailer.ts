import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { mailOutbox } from "../db/schema";
import { newUuid } from "../lib/ids";
import { nowIso } from "../lib/time";

export type MailKind =
  | "PASSWORD_RESET"
  | "EMAIL_VERIFICATION"
  | "BETA_ACCESS_REQUEST"
  | "SHARING_INVITE"
  | "SHARING_REQUEST"
  | "WEBHOOK_DISABLED";

export interface Mail {
  kind: MailKind;
  to: string;
  subject: string;
  body: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

type MailEnv = Pick<Env, "MAIL_API_URL" | "MAIL_API_KEY" | "MAIL_FROM" | "NOWATCH_ENV">;

/**
 * The one Mailer (architecture.md "Identity"): every mail is written to the `mail_outbox` table; when a mail API is
 * configured (MAIL_API_URL + MAIL_API_KEY, a Resend-compatible `POST {from,to,subject,text}`), it is also delivered
 * and its row marked SENT or FAILED, so a failed delivery is visible rather than lost. Locally the outbox is the
 * delivery, and the mail is printed to the `wrangler dev` console.
 */
export function createMailer(db: Db, env: MailEnv, fetcher: typeof fetch = fetch): Mailer {
  return {
    async send(mail) {
      const id = newUuid();
      const deliver = Boolean(env.MAIL_API_URL && env.MAIL_API_KEY);
      await db.insert(mailOutbox).values({
        id,
        kind: mail.kind,
        toAddress: mail.to,
        subject: mail.subject,
        body: mail.body,
        status: deliver ? "QUEUED" : "SENT",
        createdAt: nowIso(),
      });
      if (!deliver) {
        if (env.NOWATCH_ENV === "local")
          console.log(`[mail outbox] to=${mail.to} subject=${mail.subject}\n${mail.body}`);
        return;
      }
      try {
        const response = await fetcher(env.MAIL_API_URL as string, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${env.MAIL_API_KEY}` },
          body: JSON.stringify({ from: env.MAIL_FROM, to: [mail.to], subject: mail.subject, text: mail.body }),
        });
        const status = response.ok ? "SENT" : "FAILED";
        await db
          .update(mailOutbox)
          .set({ status, error: response.ok ? null : `HTTP ${response.status}` })
          .where(eq(mailOutbox.id, id));
      } catch (error) {
        await db
          .update(mailOutbox)
          .set({ status: "FAILED", error: error instanceof Error ? error.name : "unknown" })
          .where(eq(mailOutbox.id, id));
      }
    },
  };
}
