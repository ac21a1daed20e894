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
