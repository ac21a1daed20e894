import { EXPORT_MESSAGE_KIND, type ExportJobMessage, handleExportMessage } from "../exports/jobs";

/**
 * Consumer of the export queue (EXPORT_QUEUE). Each message names its kind; its handler acks or retries it (with
 * backoff) and records the outcome on the job. A message no handler knows is retried and, after `max_retries`
 * (wrangler.toml), lands in the dead-letter queue `nowatch-exports-dlq`, so nothing is silently dropped.
 */
type Handler = (env: Env, message: Message<ExportJobMessage>) => Promise<void>;

const handlers: Record<string, Handler> = {
  [EXPORT_MESSAGE_KIND]: handleExportMessage,
};

function isJobMessage(body: unknown): body is ExportJobMessage {
  if (body === null || typeof body !== "object") return false;
  const { kind, jobId } = body as Partial<ExportJobMessage>;
  return typeof kind === "string" && typeof jobId === "string";
}

export async function handleExportBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // One at a time: an export is CPU-bound, and a batch of them in parallel would only contend for the isolate.
  for (const message of batch.messages) {
    const handler = isJobMessage(message.body) ? handlers[message.body.kind] : undefined;
    if (!handler) {
      console.error(JSON.stringify({ event: "queue_unknown_message", id: message.id, attempts: message.attempts }));
      message.retry();
      continue;
    }
    await handler(env, message as Message<ExportJobMessage>);
  }
}
