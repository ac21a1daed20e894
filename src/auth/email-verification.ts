import type { Db } from "../db";
import { CODE_TTL_SECONDS, newCode, storeCode } from "../db/one-time-codes";
import type { User } from "../db/schema";
import { createMailer } from "../mail/mailer";

type MailEnv = Parameters<typeof createMailer>[1];

const TTL_HOURS = CODE_TTL_SECONDS.EMAIL_VERIFICATION / 3600;

/**
 * Mails a fresh verification code to the account's address, replacing any earlier one. Until the address is proven,
 * the account can sign in and use its own data, but takes no part in sharing (docs/auth.md "Email verification").
 */
export async function sendVerificationCode(db: Db, env: MailEnv, user: Pick<User, "id" | "email">): Promise<void> {
  const code = newCode();
  await storeCode(db, "EMAIL_VERIFICATION", user.id, code);
  await createMailer(db, env).send({
    kind: "EMAIL_VERIFICATION",
    to: user.email,
    subject: "Confirm your NOWATCH email address",
    body: [
      `Your NOWATCH email confirmation code is ${code}. It expires in ${TTL_HOURS} hours.`,
      "",
      "Enter it in the NOWATCH app, or call POST /v1/auth/verify_email with your email and this code.",
      "Until the address is confirmed, nobody can share a dashboard with you and you cannot share yours.",
      "If you did not create a NOWATCH account, ignore this email.",
    ].join("\n"),
  });
}
