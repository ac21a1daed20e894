import type { Context } from "hono";
import type { AppEnv } from "../http/app-env";
import { serviceUnavailable, tooManyRequests } from "../lib/errors";
import { RATE_LIMITS, type RateRuleName, type RateWindow } from "../lib/limits";
import { accountKey, clientNetwork, ipKey } from "./keys";
import type { LimitAnswer } from "./rate-limiter";

/** The part of a RateLimiter stub the guard calls; tests pass a fake. */
export interface LimiterStub {
  take(window: RateWindow): Promise<LimitAnswer>;
  refund(at: number): Promise<void>;
  clear(): Promise<void>;
}

/** The counter object for a key. */
export type LimiterLookup = (key: string) => LimiterStub;

export const limiterLookup =
  (env: Pick<Env, "RATE_LIMITER">): LimiterLookup =>
  (key) =>
    env.RATE_LIMITER.getByName(key);

export interface LimitCaller {
  /** As the client sent it (after schema validation); normalized into the key here. */
  email: string;
  /** The `CF-Connecting-IP` header, if any. */
  ip: string | undefined;
  requestId: string;
}

interface Counter {
  scope: "account" | "ip";
  key: string;
  window: RateWindow;
}

interface Held {
  counter: Counter;
  at: number;
}

/**
 * Runs `attempt` under a brute-force rule (src/lib/limits.ts RATE_LIMITS). Before it runs, one hit is taken on the
 * account counter and on the per-IP counter (in parallel; each object serializes its own key, so concurrent
 * requests cannot all slip past the check). Either over its limit: 429 with `Retry-After`, the other counter's hit
 * is given back, and `attempt` never runs, so a right password or code is refused too. `attempt` throwing is a
 * failure and keeps its hits. `attempt` returning is a success: for a `failures` rule the hits are given back (and
 * the account counter emptied where the rule says so); for a `requests` rule they stay.
 * The limiter itself failing never answers 500: the rule says whether to go on (logged) or refuse with 503.
 */
export async function withLimit<T>(
  lookup: LimiterLookup,
  ruleName: RateRuleName,
  caller: LimitCaller,
  attempt: () => Promise<T>,
): Promise<T> {
  const rule = RATE_LIMITS[ruleName];
  const network = clientNetwork(caller.ip);
  const counters: Counter[] = [{ scope: "account", key: accountKey(ruleName, caller.email), window: rule.account }];
  if (network) counters.push({ scope: "ip", key: ipKey(ruleName, network), window: rule.ip });

  const unavailable = (counter: Counter, phase: string, error: unknown) =>
    console.error(
      JSON.stringify({
        event: "rate_limiter_unavailable",
        rule: ruleName,
        scope: counter.scope,
        phase,
        name: error instanceof Error ? error.name : typeof error,
        message: error instanceof Error ? error.message : String(error),
        requestId: caller.requestId,
      }),
    );
  const settle = async (counter: Counter, action: () => Promise<void>, phase: string) => {
    try {
      await action();
    } catch (error) {
      unavailable(counter, phase, error);
    }
  };

  const answers = await Promise.all(
    counters.map(async (counter): Promise<{ counter: Counter; answer: LimitAnswer | null }> => {
      try {
        return { counter, answer: await lookup(counter.key).take(counter.window) };
      } catch (error) {
        unavailable(counter, "take", error);
        return { counter, answer: null };
      }
    }),
  );
  const held: Held[] = answers.flatMap(({ counter, answer }) => (answer?.allowed ? [{ counter, at: answer.at }] : []));
  const giveBack = () =>
    Promise.all(held.map(({ counter, at }) => settle(counter, () => lookup(counter.key).refund(at), "refund")));

  const refused = answers.flatMap(({ counter, answer }) =>
    answer && !answer.allowed ? [{ scope: counter.scope, retryAfterSeconds: answer.retryAfterSeconds }] : [],
  );
  if (refused.length > 0) {
    await giveBack();
    console.warn(
      JSON.stringify({
        event: "rate_limited",
        rule: ruleName,
        scopes: refused.map((r) => r.scope),
        requestId: caller.requestId,
      }),
    );
    throw tooManyRequests(Math.max(...refused.map((r) => r.retryAfterSeconds)));
  }
  if (rule.whenUnavailable === "refuse" && answers.some(({ answer }) => answer === null)) {
    await giveBack();
    throw serviceUnavailable();
  }

  const result = await attempt();
  if (rule.counts === "failures") {
    await Promise.all(
      held.map(({ counter, at }) =>
        counter.scope === "account" && rule.successClearsAccount
          ? settle(counter, () => lookup(counter.key).clear(), "clear")
          : settle(counter, () => lookup(counter.key).refund(at), "refund"),
      ),
    );
  }
  return result;
}

/**
 * The route-facing call: `await limited(c, "resetMail", email, () => sendTheMail())`. See `withLimit`; the client IP
 * is `CF-Connecting-IP` (set by Cloudflare's edge; absent in tests and some local setups, then only the account
 * counter applies).
 */
export function limited<T>(
  c: Context<AppEnv>,
  rule: RateRuleName,
  email: string,
  attempt: () => Promise<T>,
): Promise<T> {
  const caller = { email, ip: c.req.header("cf-connecting-ip"), requestId: c.get("requestId") };
  return withLimit(limiterLookup(c.env), rule, caller, attempt);
}

const span = (seconds: number) =>
  seconds === 3600 ? "hour" : seconds % 3600 === 0 ? `${seconds / 3600} hours` : `${seconds / 60} minutes`;

/** The rule in words, for a route's OpenAPI description. */
export function limitDescription(ruleName: RateRuleName, what: string): string {
  const { account, ip } = RATE_LIMITS[ruleName];
  return `Brute-force limit: ${account.limit} ${what} per email in any ${span(account.windowSeconds)} and ${ip.limit} per client IP in any ${span(ip.windowSeconds)}, counted alike whether or not the email has an account; beyond that every call answers 429 with \`Retry-After\` (seconds) until the window lets up.`;
}
