import { DurableObject } from "cloudflare:workers";
import type { FeedCut } from "../changes/kinds";
import { LIMITS } from "../lib/limits";
import { DAY_MS } from "../lib/time";
import { type AccessRecord, recordAccess } from "./access-log";
import { type AccountChange, accountChangeInput } from "./change-inputs";
import { type ChangeInput, type ChangePageOutcome, listChanges, pruneTombstones, writeChanges } from "./changes";
import { StoreDeletedError } from "./deleted";
import { migrate } from "./migrations";
import { enqueueDeliveries, outboxSize, peekOutbox, removeFromOutbox, type Subscriber, subscribers } from "./webhooks";

/** The one key a deleted store keeps (the time of the wipe), so that no later instance migrates it afresh. */
const TOMBSTONE = "deleted_at";

/** A queue batch's limits (100 messages, 256 KB), with room for the envelope. */
const OUTBOX_BATCH = { messages: 100, bytes: 200_000 };

/** What a write's body gets: the store's SQL, the write's time, and the way to record its changes. */
export interface WriteContext {
  db: SqlStorage;
  now: string;
  /** Records changes in the feed and queues their webhook deliveries, in the write's own transaction. */
  changed(changes: readonly ChangeInput[]): void;
}

/**
 * The life of a UserStore (src/user-store/user-store.ts) and what every write shares: migrations at start, the
 * tombstone of a deleted account, the change feed written in each write's transaction, and the webhook outbox the
 * alarm hands to WEBHOOK_QUEUE (docs/changes.md). Subclasses reach the storage only through `db` and `write`.
 */
export abstract class StoreBase extends DurableObject<Env> {
  #sql: SqlStorage;
  #deleted = false;
  /** The enabled webhook endpoints, read once and dropped on every change to them. */
  #listeners: Subscriber[] | undefined;
  /** A write put deliveries in the outbox: the alarm must hand them to the queue. */
  #outboxWaiting = false;
  #lastPrune = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.#deleted = ctx.storage.kv.get(TOMBSTONE) !== undefined;
      if (this.#deleted) return;
      migrate(this.#sql);
      // Deliveries a crash left between their write and the queue go out now.
      if (outboxSize(this.#sql) > 0 && (await ctx.storage.getAlarm()) === null) await ctx.storage.setAlarm(Date.now());
    });
  }

  /** The SQL storage of a store that still exists: every data method reaches its tables only through here. */
  protected get db(): SqlStorage {
    if (this.#deleted) throw new StoreDeletedError();
    return this.#sql;
  }

  /**
   * Records a shared read in the owner's access log (src/user-store/access-log.ts), in the call that serves it: no
   * extra round trip, and no read without its record. Null for one's own data.
   */
  protected logAccess(access: AccessRecord | null): SqlStorage {
    const db = this.db;
    if (access !== null) recordAccess(db, access, new Date(), LIMITS.accessLogRetentionDays);
    return db;
  }

  /**
   * Runs a write in one synchronous transaction together with the changes it records (either all of it is stored,
   * feed and outbox included, or none), then wakes the outbox without waiting for the queue.
   */
  protected async write<T>(body: (write: WriteContext) => T): Promise<T> {
    const now = new Date().toISOString();
    const result = this.ctx.storage.transactionSync(() => {
      const db = this.db;
      return body({ db, now, changed: (changes) => this.#changed(db, changes, now) });
    });
    if (this.#outboxWaiting) {
      this.#outboxWaiting = false;
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
    }
    return result;
  }

  /** After any change to the webhook endpoints: the next write reads them afresh. */
  protected dropListeners(): void {
    this.#listeners = undefined;
  }

  #changed(db: SqlStorage, changes: readonly ChangeInput[], now: string): void {
    if (changes.length === 0) return;
    writeChanges(db, changes, now);
    this.#listeners ??= subscribers(db);
    if (this.#listeners.length > 0 && enqueueDeliveries(db, this.#listeners, changes, now) > 0) {
      this.#outboxWaiting = true;
    }
    this.#pruneTombstones(db);
  }

  /** Drops tombstones past their retention, at most hourly per instance. */
  #pruneTombstones(db: SqlStorage): void {
    const now = Date.now();
    if (now - this.#lastPrune < 3_600_000) return;
    this.#lastPrune = now;
    pruneTombstones(db, new Date(now - LIMITS.changesTombstoneDays * DAY_MS).toISOString());
  }

  /**
   * Hands waiting webhook deliveries to WEBHOOK_QUEUE, oldest first, and removes each batch once the queue has it. A
   * failure throws and the platform retries the alarm; a crash between sending and removing sends a batch twice,
   * with the same message ids (receivers deduplicate on `webhook-id`, Standard Webhooks).
   */
  override async alarm(): Promise<void> {
    if (this.#deleted) return;
    for (;;) {
      const batch = peekOutbox(this.db, OUTBOX_BATCH.messages, OUTBOX_BATCH.bytes);
      if (batch.length === 0) return;
      await this.env.WEBHOOK_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
      const sent = batch.map((m) => m.messageId);
      this.ctx.storage.transactionSync(() => removeFromOutbox(this.db, sent));
    }
  }

  /** Changes to what lives in D1 (settings, profile, the sharing graph): the Worker calls this after its D1 write. */
  async recordAccountChanges(changes: AccountChange[]): Promise<void> {
    await this.write(({ changed }) => changed(changes.map(accountChangeInput)));
  }

  /**
   * A page of the change feed after sequence number `after` (docs/changes.md); through a share, `cut` limits it to
   * what the share shows and `access` records the read in the owner's access log, in this same call.
   */
  async listChanges(
    after: number,
    limit: number,
    cut: FeedCut | null,
    access: AccessRecord | null = null,
  ): Promise<ChangePageOutcome> {
    const db = this.logAccess(access);
    this.#pruneTombstones(db);
    return listChanges(db, after, limit, cut);
  }

  /**
   * Erases everything this user stored (account deletion), then writes the tombstone. Refuses other calls from the
   * first instant (a call that arrives between the storage operations sees the flag). Idempotent: two deletions in
   * flight both succeed. If a storage operation fails the store is still live and DELETE /v1/user can be retried.
   */
  async deleteAll(): Promise<void> {
    if (this.#deleted) return;
    this.#deleted = true;
    try {
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.ctx.storage.kv.put(TOMBSTONE, new Date().toISOString());
    } catch (error) {
      this.#deleted = false;
      throw error;
    }
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
