/**
 * Schema of the UserStore's SQLite storage, as numbered migrations run in `blockConcurrencyWhile` when the object
 * starts (architecture.md). Append only: never edit a migration that has shipped.
 */
export const USER_STORE_MIGRATIONS: { version: number; statements: string[] }[] = [
  {
    version: 1,
    statements: [
      // The object's own bookkeeping: which user it belongs to (set on first use, checked on every call).
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
