import { z } from "@hono/zod-openapi";
import { TimestampSchema } from "./schemas";

/**
 * The closed error vocabulary. Every non-2xx answer carries one of these codes in the NOWATCH error body
 * (contract §1 "Error body"): `{ statusCode, message: string[], path, timestamp, error, requestId }`.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  /** The operation needs a verified email address (POST /v1/auth/verify_email): sharing. */
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  /** The resource existed and is gone for good (an export past its retention). */
  GONE: 410,
  LENGTH_REQUIRED: 411,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A byte range outside the object (RFC 9110 §15.5.17), answered with a Content-Range naming the size. */
  RANGE_NOT_SATISFIABLE: 416,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorStatus = (typeof ERROR_CODES)[ErrorCode];

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ErrorStatus;
  readonly messages: string[];
  /** Response headers the error needs (e.g. `Retry-After` on a 429). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, messages: string | string[], headers: Record<string, string> = {}) {
    const list = Array.isArray(messages) ? messages : [messages];
    super(list.join("; "));
    this.code = code;
    this.status = ERROR_CODES[code];
    this.messages = list;
    this.headers = headers;
  }
}

export const badRequest = (message: string | string[]) => new ApiError("VALIDATION_FAILED", message);
export const unauthorized = (message = "Unauthorized") => new ApiError("UNAUTHORIZED", message);
export const forbidden = (message: string | string[] = "Forbidden") => new ApiError("FORBIDDEN", message);
export const notFound = (message = "Not found") => new ApiError("NOT_FOUND", message);
export const conflict = (message: string) => new ApiError("CONFLICT", message);
/** A brute-force limit refused the call (RFC 6585 §4); `Retry-After` in whole seconds (RFC 9110 §10.2.3). */
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError("TOO_MANY_REQUESTS", `Too many attempts; try again in ${retryAfterSeconds} seconds`, {
    "Retry-After": String(retryAfterSeconds),
  });
export const serviceUnavailable = (message = "Service temporarily unavailable; try again shortly") =>
  new ApiError("SERVICE_UNAVAILABLE", message);

export const ErrorBodySchema = z
  .object({
    statusCode: z.number().int().openapi({ example: 400 }),
    message: z.array(z.string()).openapi({ example: ["email must be an email"] }),
    path: z.string().openapi({ example: "/v1/user" }),
    timestamp: TimestampSchema.openapi({ example: "2024-01-01T12:00:00.000Z" }),
    error: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).openapi({ example: "VALIDATION_FAILED" }),
    requestId: z.string().openapi({ example: "0b5e1f0c-6a0e-4a53-9d0c-4c0b6f1f9c11" }),
  })
  .openapi("ErrorBody");

export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export function errorBody(code: ErrorCode, messages: string[], path: string, requestId: string): ErrorBody {
  return {
    statusCode: ERROR_CODES[code],
    message: messages,
    path,
    timestamp: new Date().toISOString(),
    error: code,
    requestId,
  };
}

const describe = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBodySchema } },
});

/** One documented error response, for a status the shared sets below do not cover (e.g. 410, 416). */
export const errorResponse = describe;

/** The documented error responses, spread into every route definition. */
export const errorResponses = {
  400: describe("Invalid input: malformed JSON, missing or wrong fields"),
  401: describe("Missing, expired or invalid credentials"),
  413: describe("Request body over the size limit"),
  415: describe("Unsupported content type"),
  500: describe("Unexpected server error (never carries internals)"),
} as const;

export const forbiddenResponse = { 403: describe("Not allowed for this caller") } as const;
export const unverifiedEmailResponse = {
  403: describe("EMAIL_NOT_VERIFIED: the caller's email address is not verified yet (POST /v1/auth/verify_email)"),
} as const;
export const notFoundResponse = { 404: describe("No such resource for this caller") } as const;
export const conflictResponse = { 409: describe("Conflicts with the current state") } as const;
/** Spread into every route guarded by a brute-force limit (src/lib/limits.ts RATE_LIMITS). */
export const tooManyRequestsResponse = {
  429: {
    ...describe("Too many attempts for this account or from this client; wait `Retry-After` seconds"),
    headers: z.object({
      "Retry-After": z
        .string()
        .regex(/^\d+$/)
        .openapi({ description: "Seconds until the limit lets the next attempt through", example: "900" }),
    }),
  },
} as const;
/** Spread into routes that refuse rather than go unguarded when their brute-force limiter cannot be reached. */
export const serviceUnavailableResponse = {
  503: describe("A dependency (e.g. the brute-force limiter) is unavailable; retry shortly"),
} as const;
