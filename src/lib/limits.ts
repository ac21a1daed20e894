/** Every size and count limit of the API, declared in one place (roadmap: hardening). */
export const LIMITS = {
  /** Default request body limit for JSON operations. */
  jsonBodyBytes: 1024 * 1024,
  /** The settings object, serialized. */
  settingsBytes: 64 * 1024,
  emailLength: 254,
  /** `date_of_birth`: no earlier day (security finding 9: year 1 or 3000 are typos or probes, not people). */
  dateOfBirthEarliest: "1900-01-01",
  /** `toc_accepted_at`, `privacy_policy_accepted_at`: no earlier instant (the terms cannot predate the product). */
  acceptedAtEarliest: "2015-01-01T00:00:00Z",
  /** How far ahead of the server's clock a client-sent instant may be (device clock skew, time-zone mistakes). */
  clockSkewMs: 86_400_000,
  nameLength: 150,
  /** Emailed codes: a forgot-password code's lifetime, an email-verification code's, and wrong guesses per code. */
  resetCodeTtlSeconds: 15 * 60,
  verificationCodeTtlSeconds: 24 * 3600,
  codeMaxAttempts: 5,
  /** A refresh token re-presented this soon after its rotation gets its successor again instead of revoking. */
  refreshReuseGraceSeconds: 60,
  /** Accepted clock skew on a token's `iat` (issued in the future by at most this much). */
  tokenClockSkewSeconds: 60,
  adminPageSize: 1000,
  /** Shared-dashboard group names. */
  groupNameLength: 100,
  /** GET /v1/sharing/access-log page size. */
  accessLogPageSize: 100,
  /** Days an access-log entry is kept in the owner's store (docs/sharing.md "Access log"). */
  accessLogRetentionDays: 400,
  /** Days a cached statistic is kept after it was last computed (docs/statistics.md "Cache"). */
  statisticsCacheDays: 90,
  /** POST /v1/measurement/upload: the multipart body as sent (a 31-day 1 Hz CSV, ~45 MB plain, fits). */
  uploadBodyBytes: 64 * 1024 * 1024,
  /** Decompressed upload bytes (zip-bomb guard). */
  uploadDecompressedBytes: 256 * 1024 * 1024,
  /** Data rows in one upload: 90 days of 1 Hz data is 7,776,000 (31 days: 2,678,400). */
  uploadMaxRows: 8_000_000,
  /** The profile's `lastSyncAt` advances at most this often (one D1 write per sync burst, not per uploaded file). */
  lastSyncAtGranularitySeconds: 60,
  /** Samples in one JSON batch (POST /v1/measurement). */
  batchMaxSamples: 100_000,
  /** POST /v1/measurement body: 100,000 samples in columnar JSON fit. */
  batchBodyBytes: 4 * 1024 * 1024,
  /** Personal records (sessions, check-ins, day feedback, insight feedback): elements in one batch POST. */
  recordBatchMax: 1000,
  /** Body of a records batch POST: 1,000 sessions with long notes fit. */
  recordBatchBodyBytes: 4 * 1024 * 1024,
  /** `note` of a session, a subjective input, a check-in or a day-feedback answer. */
  recordNoteLength: 2000,
  /** `info.name` and `info.tool` of a session. */
  recordNameLength: 150,
  /** `info.subjective_inputs` of one session. */
  recordSubjectiveInputs: 50,
  /** Days a range query may span: measurement reads and deletes, series, and every records list. */
  rangeDays: 366,
  /** Records one list answers at most; a range holding more is refused (400) rather than truncated. */
  recordListMax: 20_000,
  /** POST /v2/insight/feedback: sections per element, options per section, characters per string. */
  insightFeedbackSections: 50,
  insightFeedbackOptions: 50,
  insightFeedbackText: 200,
  /** Exports (docs/exports.md): other users one export may include (`encryptedUserIds`). */
  exportUsers: 20,
  /** Export jobs a user may have IN_PROGRESS at once; one more answers 429. */
  exportConcurrentJobs: 3,
  /** Seconds a refused export creation is told to wait (`Retry-After`). */
  exportRetryAfterSeconds: 60,
  /** Days a finished archive is kept in the EXPORTS bucket; after that its result answers 410. */
  exportRetentionDays: 7,
  /** Days a job row is kept after it ended (then its id is unknown: 404). */
  exportJobRowDays: 30,
  /** Minutes after which the sweep fails a job still IN_PROGRESS (it outlives every retry of its message). */
  exportJobTimeoutMinutes: 60,
  /** Queue deliveries of one export message before its job is marked FAILED (wrangler.toml allows more). */
  exportMaxAttempts: 4,
  /** Jobs GET /v1/user/export/list answers at most, newest first. */
  exportListMax: 100,
  /** Telemetry (docs/telemetry.md "Limits"): an OTLP request body, as sent and after decompression (4 MB, SI). */
  telemetryBodyBytes: 4_000_000,
  /** Spans, log records or metric data points in one OTLP request. */
  telemetryMaxRecords: 5000,
  /** Shards of the telemetry buffer (TelemetryBuffer objects named shard-0 …). */
  telemetryShards: 4,
  /** Days telemetry objects are kept in the TELEMETRY bucket; the cron sweep deletes older days. */
  telemetryRetentionDays: 30,
  /** Objects GET /v1/admin/telemetry answers per page. */
  telemetryListPage: 1000,
  /** A firmware binary sent to POST /v1/admin/firmware (100 MB, SI): the Workers request body limit. */
  firmwareMaxBytes: 100_000_000,
  /** A firmware binary assembled through an upload session (docs/firmware.md "Large binaries"). */
  firmwareSessionMaxBytes: 2 * 1024 * 1024 * 1024,
  /** Text fields of the firmware form: notes and everything else. */
  firmwareNotesLength: 10_000,
  firmwareFieldBytes: 64 * 1024,
  /** Hardware revisions one release may fit, and the length of a revision name. */
  firmwareHardwareMax: 32,
  firmwareHardwareLength: 64,
  /** A device's error text in a FAILED report (longer is cut). */
  firmwareErrorLength: 2000,
  /** GET /v1/admin/audit-log page size. */
  auditLogPageSize: 100,
  /** Change feed (docs/changes.md): entries per page by default and at most. */
  changesPageDefault: 100,
  changesPageMax: 1000,
  /** Days a deletion's tombstone (and so a cursor) is kept; an older cursor answers 410 and the client resyncs. */
  changesTombstoneDays: 90,
  /** Webhooks (docs/changes.md "Webhooks"): endpoints per user, and the length of an endpoint URL. */
  webhooksPerUser: 20,
  webhookUrlLength: 2048,
  /** Hours the secret a rotation replaced still signs deliveries, next to the new one. */
  webhookPreviousSecretHours: 24,
  /** A delivery's time limit, and the bytes of the receiver's answer read (the rest is discarded unread). */
  webhookTimeoutMs: 10_000,
  webhookResponseBytes: 4096,
  /** Characters of the receiver's answer kept with an attempt. */
  webhookResponseKept: 512,
  /** A webhook body larger than this carries only the change's identifiers (`truncated: true`). */
  webhookBodyBytes: 64 * 1024,
  /** Days an endpoint may fail without one success before it is disabled and its owner mailed. */
  webhookDisableAfterDays: 5,
  /** Attempts kept per endpoint (newest), and days they are kept. */
  webhookAttemptsKept: 1000,
  webhookAttemptDays: 30,
  /** GET /v1/webhooks/{id}/deliveries: entries by default and at most. */
  webhookDeliveriesDefault: 50,
  webhookDeliveriesMax: 500,
} as const;

/** A sliding-window counter: at most `limit` hits in any `windowSeconds`. */
export interface RateWindow {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface RateRule {
  /**
   * `failures`: a call that succeeds gives its hit back, so only failed calls count (a wrong password or code).
   * `requests`: every call counts, whatever its outcome (a mail sent, or not sent because no account exists).
   */
  readonly counts: "failures" | "requests";
  /** A success empties the account's counter (the owner proved the secret). The per-IP counter is never emptied. */
  readonly successClearsAccount: boolean;
  /** When the limiter cannot be reached: `allow` (logged; availability first) or `refuse` (503). */
  readonly whenUnavailable: "allow" | "refuse";
  /** Keyed by the normalized email, whether or not an account has it. */
  readonly account: RateWindow;
  /** Keyed by `CF-Connecting-IP` (an IPv6 client by its /64); skipped when the header is absent. */
  readonly ip: RateWindow;
}

const MINUTES_15 = 15 * 60;
const HOUR = 60 * 60;

/**
 * The brute-force limits (docs/security.md "Brute-force limits"), one rule per guarded action. Routes apply them with
 * `limited(c, "<rule>", email, attempt)` from src/rate-limiter/guard.ts.
 */
export const RATE_LIMITS = {
  /** POST /v2/auth/login, /v1/auth/login and /v2/auth/login/admin share these counters. */
  login: {
    counts: "failures",
    successClearsAccount: true,
    whenUnavailable: "allow",
    account: { limit: 10, windowSeconds: MINUTES_15 },
    ip: { limit: 10, windowSeconds: MINUTES_15 },
  },
  /** POST /v1/auth/forgot_password: reset mails (mail bombing). */
  resetMail: {
    counts: "requests",
    successClearsAccount: false,
    whenUnavailable: "allow",
    account: { limit: 5, windowSeconds: HOUR },
    ip: { limit: 20, windowSeconds: HOUR },
  },
  /** POST /v1/auth/confirm_new_password: wrong reset codes, across every code the account was sent. */
  resetCode: {
    counts: "failures",
    successClearsAccount: false,
    whenUnavailable: "refuse",
    account: { limit: 10, windowSeconds: HOUR },
    ip: { limit: 20, windowSeconds: HOUR },
  },
  /** Email-verification mails (POST /v1/auth/verify_email/resend). */
  verifyMail: {
    counts: "requests",
    successClearsAccount: false,
    whenUnavailable: "allow",
    account: { limit: 5, windowSeconds: HOUR },
    ip: { limit: 20, windowSeconds: HOUR },
  },
  /** Wrong email-verification codes (POST /v1/auth/verify_email), across every code the account was sent. */
  verifyCode: {
    counts: "failures",
    successClearsAccount: false,
    whenUnavailable: "refuse",
    account: { limit: 10, windowSeconds: HOUR },
    ip: { limit: 20, windowSeconds: HOUR },
  },
} as const satisfies Record<string, RateRule>;

export type RateRuleName = keyof typeof RATE_LIMITS;
