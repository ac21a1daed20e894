import type { RateWindow } from "../lib/limits";

/**
 * The sliding-window decision, pure: a counter is the list of its hit instants (ms since the epoch, oldest first),
 * at most `limit` long because a refused call adds nothing. A hit at `t` counts while `now < t + window`. The clock
 * is always passed in, so window expiry is tested without waiting.
 */
export type Hits = readonly number[];

export type TakeResult =
  | { allowed: true; hits: number[]; at: number }
  | { allowed: false; hits: number[]; retryAfterSeconds: number };

const windowMs = (window: RateWindow) => window.windowSeconds * 1000;

/** The hits that still count at `now`. */
export function liveHits(hits: Hits, window: RateWindow, now: number): number[] {
  const since = now - windowMs(window);
  return hits.filter((at) => at > since);
}

/**
 * One more hit if the window has room: allowed (with the hit recorded at `now`), or refused with the whole seconds
 * until enough of the oldest hits have aged out to make room (never less than 1, as `Retry-After` needs).
 */
export function takeHit(hits: Hits, window: RateWindow, now: number): TakeResult {
  const live = liveHits(hits, window, now);
  if (live.length >= window.limit) {
    // The hit whose expiry frees the first slot; with more live hits than the limit (a lowered limit), a later one.
    const freeing = live[live.length - window.limit] ?? now;
    const retryAfterSeconds = Math.max(1, Math.ceil((freeing + windowMs(window) - now) / 1000));
    return { allowed: false, hits: live, retryAfterSeconds };
  }
  // Kept sorted even if the clock stepped back.
  const next = [...live, now].sort((a, b) => a - b);
  return { allowed: true, hits: next, at: now };
}

/** Gives back one hit taken at `at` (a call that succeeded, or one refused by another counter). */
export function refundHit(hits: Hits, at: number): number[] {
  const index = hits.indexOf(at);
  return index < 0 ? [...hits] : [...hits.slice(0, index), ...hits.slice(index + 1)];
}

/** When the last hit stops counting, so the counter can be deleted; `null` for an empty counter. */
export function expiresAt(hits: Hits, windowSeconds: number): number | null {
  const newest = hits[hits.length - 1];
  return newest === undefined ? null : newest + windowSeconds * 1000;
}
