import { DurableObject } from "cloudflare:workers";
import { migrate } from "./migrations";

/**
 * One per user (named by the user id): that user's measurements and personal records in SQLite storage.
 * Coarse RPC methods, one call per request; no router inside (architecture.md "Why one Durable Object per user").
 */
export class UserStore extends DurableObject<Env> {
  #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      migrate(this.#sql);
    });
  }

  /** Erases everything this user stored (account deletion). */
  async deleteAll(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  /** Number of user tables holding rows; used by account deletion tests and diagnostics. */
  async storedRowCount(): Promise<number> {
    const tables = this.#sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'",
      )
      .toArray();
    let rows = 0;
    for (const { name } of tables) {
      rows += this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM "${name}"`).one().n;
    }
    return rows;
  }
}

export function userStore(env: Pick<Env, "USER_STORE">, userId: string): DurableObjectStub<UserStore> {
  return env.USER_STORE.get(env.USER_STORE.idFromName(userId)) as DurableObjectStub<UserStore>;
}
