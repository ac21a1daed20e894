/** Every size and count limit of the API, declared in one place (roadmap: hardening). */
export const LIMITS = {
  /** Default request body limit for JSON operations. */
  jsonBodyBytes: 1024 * 1024,
  /** The settings object, serialized. */
  settingsBytes: 64 * 1024,
  emailLength: 254,
  nameLength: 150,
  /** Forgot-password codes: lifetime and wrong guesses allowed per code. */
  resetCodeTtlSeconds: 15 * 60,
  resetCodeMaxAttempts: 5,
  adminPageSize: 1000,
  /** Shared-dashboard group names. */
  groupNameLength: 100,
  /** GET /v1/sharing/access-log page size. */
  accessLogPageSize: 100,
} as const;
