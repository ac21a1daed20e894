import { DurableObject } from "cloudflare:workers";
import type { RateWindow } from "../lib/limits";
import { expiresAt, refundHit, takeHit } from "./window";

/** What `take` answers over RPC. `at` identifies the hit, to give it back with `refund`. */
export type LimitAnswer = { allowed: true; at: number } | { allowed: false; retryAfterSeconds: number };

interface Counter {
  windowSeconds: number;
  hits: number[];
}

const COUNTER = "counter";

/**
 * One brute-force counter, named by its key (`acct:login:<email>`, `ip:login:<network>`; see keys.ts). One object
 * per key serializes every check-and-count of that key, so concurrent requests cannot all pass a check before any of
 * them is counted. The hits live in the object's SQLite storage (survive eviction and restarts); an alarm deletes
 * the counter once its last hit has aged out, so objects for sprayed addresses leave nothing behind. The decision
 * itself is the pure window.ts; this class only loads, stores and schedules.
 */
export class RateLimiter extends DurableObject<Env> {
  /** Checks the window and, if there is room, records one hit now. */
  async take(window: RateWindow): Promise<LimitAnswer> {
    const counter = this.#load();
    const result = takeHit(counter?.hits ?? [], window, Date.now());
    if (!result.allowed) return { allowed: false, retryAfterSeconds: result.retryAfterSeconds };
    await this.#store({ windowSeconds: window.windowSeconds, hits: result.hits });
    return { allowed: true, at: result.at };
  }

  /** Gives back the hit taken at `at` (no-op if it is gone). */
  async refund(at: number): Promise<void> {
    const counter = this.#load();
    if (!counter) return;
    await this.#store({ ...counter, hits: refundHit(counter.hits, at) });
  }

  /** Empties the counter. */
  async clear(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  /** Deletes the counter once it has expired; re-arms if a hit came in since. Safe to re-run. */
  override async alarm(): Promise<void> {
    const counter = this.#load();
    const expiry = counter ? expiresAt(counter.hits, counter.windowSeconds) : null;
    if (expiry === null || expiry <= Date.now()) await this.clear();
    else await this.ctx.storage.setAlarm(expiry);
  }

  #load(): Counter | undefined {
    return this.ctx.storage.kv.get<Counter>(COUNTER);
  }

  async #store(counter: Counter): Promise<void> {
    const expiry = expiresAt(counter.hits, counter.windowSeconds);
    if (expiry === null) {
      await this.clear();
      return;
    }
    this.ctx.storage.kv.put(COUNTER, counter);
    await this.ctx.storage.setAlarm(expiry);
  }
}
