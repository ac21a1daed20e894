import { LIMITS } from "../lib/limits";
import type { WebhookMessage, WebhookTarget } from "../user-store/webhooks";
import { signatureHeader } from "./signing";
import { deliveryProblem, type Resolver } from "./url-safety";

/**
 * One delivery attempt (docs/changes.md "Deliveries"): the outbound-safety check, then a signed POST of the message's
 * body with a 10 s limit, no redirect followed, and at most a few KB of the answer read. Never throws: every way it
 * can go wrong is an outcome with an error text, logged on the endpoint.
 */

export interface DeliveryDeps {
  fetch: typeof fetch;
  resolve: Resolver;
  /** Epoch milliseconds. */
  now: () => number;
}

export interface DeliveryResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The start of the receiver's answer (LIMITS.webhookResponseKept characters at most). */
  response: string | null;
}

export const USER_AGENT = "NOWATCH-Webhooks/0.9 (+https://api.nowatch.tech/docs)";

/** Reads at most `limit` bytes of a body, then lets the rest go unread. */
async function readStart(response: Response, limit: number): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let at = 0;
  for (const part of parts) {
    const take = part.subarray(0, bytes.length - at);
    bytes.set(take, at);
    at += take.byteLength;
    if (at === bytes.length) break;
  }
  return new TextDecoder().decode(bytes);
}

function failureText(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return `No answer within ${LIMITS.webhookTimeoutMs / 1000} s`;
  }
  return `Could not connect: ${error instanceof Error ? error.message : String(error)}`;
}

export async function deliver(
  target: WebhookTarget,
  message: WebhookMessage,
  local: boolean,
  deps: DeliveryDeps,
): Promise<DeliveryResult> {
  const started = deps.now();
  const elapsed = () => Math.max(0, Math.round(deps.now() - started));
  const problem = await deliveryProblem(target.url, local, deps.resolve);
  if (problem !== null) {
    return { ok: false, statusCode: null, durationMs: elapsed(), error: `Not sent: ${problem}`, response: null };
  }
  const timestamp = Math.floor(deps.now() / 1000);
  try {
    const response = await deps.fetch(target.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(LIMITS.webhookTimeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message.messageId,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signatureHeader(target.secrets, message.messageId, timestamp, message.body),
      },
      body: message.body,
    });
    const text = (await readStart(response, LIMITS.webhookResponseBytes)).slice(0, LIMITS.webhookResponseKept);
    const { status } = response;
    const ok = status >= 200 && status < 300;
    let error: string | null = null;
    if (status >= 300 && status < 400) {
      error = `Answered ${status}; redirects are not followed (Location: ${response.headers.get("location") ?? "none"})`;
    } else if (!ok) {
      error = `Answered ${status}`;
    }
    return { ok, statusCode: status, durationMs: elapsed(), error, response: text === "" ? null : text };
  } catch (error) {
    return { ok: false, statusCode: null, durationMs: elapsed(), error: failureText(error), response: null };
  }
}
