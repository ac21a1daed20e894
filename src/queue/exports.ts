/**
 * Consumer of the export queue (EXPORT_QUEUE). Export jobs are a later capability (roadmap: Exports); until a job kind
 * is registered here, a message that no handler knows is retried and, after `max_retries`, lands in the dead-letter
 * queue `nowatch-exports-dlq`, so nothing is silently dropped.
 */
export type ExportMessage = { kind: string; [key: string]: unknown };

type Handler = (message: ExportMessage, env: Env) => Promise<void>;

const handlers: Record<string, Handler> = {};

export async function handleExportBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body as Partial<ExportMessage> | null;
    const handler = body && typeof body.kind === "string" ? handlers[body.kind] : undefined;
    if (!handler) {
      console.error(JSON.stringify({ event: "queue_unknown_message", id: message.id, attempts: message.attempts }));
      message.retry();
      continue;
    }
    try {
      await handler(body as ExportMessage, env);
      message.ack();
    } catch (error) {
      console.error(JSON.stringify({ event: "queue_job_failed", id: message.id, name: (error as Error).name }));
      message.retry();
    }
  }
}
