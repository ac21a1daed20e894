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
  /** Forgot-password codes: lifetime and wrong guesses allowed per code. */
  resetCodeTtlSeconds: 15 * 60,
  resetCodeMaxAttempts: 5,
  adminPageSize: 1000,
  /** Shared-dashboard group names. */
  groupNameLength: 100,
  /** GET /v1/sharing/access-log page size. */
  accessLogPageSize: 100,
  /** POST /v1/measurement/upload: the multipart body as sent (a 31-day 1 Hz CSV, ~45 MB plain, fits). */
  uploadBodyBytes: 64 * 1024 * 1024,
  /** Decompressed upload bytes (zip-bomb guard). */
  uploadDecompressedBytes: 256 * 1024 * 1024,
  /** Data rows in one upload: 31 days of 1 Hz data is 2,678,400. */
  uploadMaxRows: 3_000_000,
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
} as const;
