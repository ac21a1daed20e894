import { z } from "@hono/zod-openapi";
import {
  PASSWORD_LENGTH_MESSAGE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblems,
} from "../../auth/passwords";
import { EmailSchema } from "../../lib/schemas";

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, PASSWORD_LENGTH_MESSAGE)
  .max(PASSWORD_MAX_LENGTH, PASSWORD_LENGTH_MESSAGE)
  .superRefine((value, ctx) => {
    for (const message of passwordProblems(value)) ctx.addIssue({ code: "custom", message });
  })
  .openapi({
    description:
      "8-99 characters with at least one lowercase letter, one uppercase letter, one digit and one special character",
    example: "BigBob27!",
  });

/** A 6-digit emailed code (password reset, email verification). */
export const CodeSchema = z
  .string()
  .regex(/^\d{6}$/, "code must be the 6-digit code from the email")
  .openapi({ example: "123456" });

export const CredentialsSchema = z
  .object({
    email: EmailSchema,
    // No rules on login (contract §2), only a sane bound.
    password: z.string().min(1).max(1024).openapi({ example: "BigBob27!" }),
  })
  .openapi("LoginRequest");

export const TokenPairSchema = z
  .object({
    access: z.string().openapi({ description: "The JWT used to authorize API calls" }),
    refresh: z.string().openapi({ description: "The JWT used to get a new access token" }),
    expiresIn: z.number().int().openapi({ description: "Seconds until the access token expires", example: 3600 }),
  })
  .openapi("TokenPair");
