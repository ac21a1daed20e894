/**
 * Schema of the UserStore's SQLite storage, as numbered migrations run in `blockConcurrencyWhile` when the object
 * starts (architecture.md). Append only: never edit a migration that has shipped.
 */
export const USER_STORE_MIGRATIONS: { version: number; statements: string[] }[] = [
  {
    version: 1,
    statements: [
      // The object's own counters, as key/value text: today `data_version`, the measurement data version that
      // day_versions rows refer to (src/user-store/measurement-store.ts).
      "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
  },
  {
    version: 2,
    statements: [
      // One row per (measurement type, UTC day): that day's samples as one binary chunk (src/measurements/codec.ts).
      `CREATE TABLE chunks (
        type TEXT NOT NULL, day INTEGER NOT NULL, data BLOB NOT NULL, count INTEGER NOT NULL,
        first_second INTEGER NOT NULL, last_second INTEGER NOT NULL,
        created TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL,
        PRIMARY KEY (type, day)
      ) WITHOUT ROWID`,
      // Which (type, day) changed at which data version, deletions included: what a statistics cache invalidates by.
      "CREATE TABLE day_versions (type TEXT NOT NULL, day INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (type, day)) WITHOUT ROWID",
      "CREATE INDEX day_versions_version ON day_versions (version)",
      // Answers of idempotent writes, kept 24 hours.
      "CREATE TABLE idempotency_keys (key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, response TEXT NOT NULL, created_at INTEGER NOT NULL)",
      "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)",
    ],
  },
  {
    version: 3,
    statements: [
      // Personal records (docs/records.md "Storage"). Date-times are ISO-8601 UTC with milliseconds
      // (`YYYY-MM-DDTHH:mm:ss.sssZ`), so text order is time order and ranges use the indexes.
      // Sessions: activities (type 1-122) and intentions (type 0) in one table (contract §11 Sessions Context);
      // `info` is the response-shaped JSON (name, note, subjectiveInputs, origin?, tool?).
      `CREATE TABLE sessions (
        id TEXT PRIMARY KEY, type INTEGER NOT NULL, start_datetime TEXT NOT NULL, end_datetime TEXT,
        info TEXT NOT NULL, created TEXT NOT NULL, last_updated TEXT NOT NULL
      )`,
      "CREATE INDEX sessions_start ON sessions (start_datetime)",
      // Check-ins: one moment each; the two lists are JSON arrays of enum strings.
      `CREATE TABLE checkins (
        id TEXT PRIMARY KEY, datetime TEXT NOT NULL, origin TEXT NOT NULL, reactivity TEXT NOT NULL,
        valence TEXT NOT NULL, related_feelings TEXT NOT NULL, context TEXT NOT NULL, note TEXT NOT NULL,
        created TEXT NOT NULL, last_updated TEXT NOT NULL
      )`,
      "CREATE INDEX checkins_datetime ON checkins (datetime)",
      // Day feedback: one answer per (local day, question); a new answer replaces the row in place.
      `CREATE TABLE day_feedback (
        id TEXT PRIMARY KEY, day TEXT NOT NULL, type INTEGER NOT NULL, datetime TEXT NOT NULL, value INTEGER NOT NULL,
        tag INTEGER, note TEXT, created TEXT NOT NULL, last_updated TEXT NOT NULL
      )`,
      "CREATE UNIQUE INDEX day_feedback_day_type ON day_feedback (day, type)",
      // Reflections created by POST /v2/insight (`response` is the answer as sent) and the feedback on them.
      `CREATE TABLE insights (
        id TEXT PRIMARY KEY, date TEXT NOT NULL, time_format TEXT NOT NULL, research_insight_id TEXT NOT NULL,
        response TEXT NOT NULL, app_version TEXT NOT NULL, created TEXT NOT NULL
      )`,
      "CREATE INDEX insights_date ON insights (date)",
      `CREATE TABLE insight_feedback (
        id TEXT PRIMARY KEY, insight_id TEXT NOT NULL, app_version TEXT NOT NULL, date TEXT NOT NULL,
        feedback TEXT NOT NULL, test_build INTEGER NOT NULL, created TEXT NOT NULL
      )`,
      "CREATE INDEX insight_feedback_insight ON insight_feedback (insight_id)",
    ],
  },
  {
    version: 4,
    statements: [
      // The owner's access log (src/user-store/access-log.ts): reads of this user's data through a share, newest
      // last. AUTOINCREMENT: ids only grow, so they order the log and a page's cursor stays valid as entries arrive.
      `CREATE TABLE access_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, viewer_id TEXT NOT NULL, data_type TEXT NOT NULL,
        path TEXT NOT NULL, range_start TEXT, range_end TEXT
      )`,
      "CREATE INDEX access_log_at ON access_log (at)",
    ],
  },
  {
    version: 5,
    statements: [
      // Statistics per (type, local day, variant); `inputs` fingerprints the data it was computed from.
      `CREATE TABLE statistics_cache (
        type TEXT NOT NULL, day TEXT NOT NULL, variant TEXT NOT NULL, inputs TEXT NOT NULL, result TEXT NOT NULL,
        created TEXT NOT NULL, last_updated TEXT NOT NULL, PRIMARY KEY (type, day, variant)
      ) WITHOUT ROWID`,
      "CREATE INDEX statistics_cache_day ON statistics_cache (day)",
      "CREATE INDEX statistics_cache_updated ON statistics_cache (last_updated)",
    ],
  },
  {
    version: 6,
    statements: [
      // The change feed (src/user-store/changes.ts): the latest change of each thing, in per-user sequence order.
      // `data_ms`/`data_max_ms` date the data (epoch ms) for the cut at a share's sharedSince.
      `CREATE TABLE changes (
        kind TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, op TEXT NOT NULL, at TEXT NOT NULL,
        entity_id TEXT, measurement_type TEXT, day TEXT, data_ms INTEGER, data_max_ms INTEGER,
        PRIMARY KEY (kind, key)
      ) WITHOUT ROWID`,
      "CREATE UNIQUE INDEX changes_seq ON changes (seq)",
      // Only deletions are pruned by age: a partial index costs the far more frequent upserts nothing.
      "CREATE INDEX changes_tombstones ON changes (at) WHERE op = 'delete'",
      // Webhook endpoints, the outbox of deliveries not yet queued, and the attempt log (src/user-store/webhooks.ts).
      `CREATE TABLE webhooks (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL,
        previous_secret TEXT, previous_secret_until TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        disabled_at TEXT, disabled_reason TEXT, failing_since TEXT, last_success_at TEXT
      )`,
      `CREATE TABLE webhook_outbox (
        message_id TEXT NOT NULL UNIQUE, webhook_id TEXT NOT NULL, user_id TEXT NOT NULL, event_type TEXT NOT NULL,
        body TEXT NOT NULL, created_at TEXT NOT NULL
      )`,
      "CREATE INDEX webhook_outbox_webhook ON webhook_outbox (webhook_id)",
      `CREATE TABLE webhook_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT, webhook_id TEXT NOT NULL, message_id TEXT NOT NULL,
        event_type TEXT NOT NULL, attempt INTEGER NOT NULL, attempted_at TEXT NOT NULL, status_code INTEGER,
        duration_ms INTEGER NOT NULL, error TEXT, outcome TEXT NOT NULL, response TEXT
      )`,
      "CREATE INDEX webhook_attempts_webhook ON webhook_attempts (webhook_id, id)",
    ],
  },
];

export function migrate(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  const row = sql.exec<{ v: number | null }>("SELECT MAX(version) AS v FROM _migrations").one();
  const current = row.v ?? 0;
  for (const migration of USER_STORE_MIGRATIONS) {
    if (migration.version <= current) continue;
    for (const statement of migration.statements) sql.exec(statement);
    sql.exec(
      "INSERT INTO _migrations (version, applied_at) VALUES (?, ?)",
      migration.version,
      new Date().toISOString(),
    );
  }
}
