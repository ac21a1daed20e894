import { createApp } from "./app";
import { handleExportBatch } from "./queue/exports";
import { handleWebhookBatch, handleWebhookDeadLetters, WEBHOOK_DLQ_NAME, WEBHOOK_QUEUE_NAME } from "./queue/webhooks";
import { runScheduled } from "./scheduled";

export { RateLimiter } from "./rate-limiter/rate-limiter";
export { TelemetryBuffer } from "./telemetry/buffer";
export { UserStore } from "./user-store/user-store";

const app = createApp();

export default {
  fetch(request, env, ctx) {
    return app.fetch(request, env, ctx);
  },
  queue(batch, env) {
    if (batch.queue === WEBHOOK_QUEUE_NAME) return handleWebhookBatch(batch, env);
    if (batch.queue === WEBHOOK_DLQ_NAME) return handleWebhookDeadLetters(batch, env);
    return handleExportBatch(batch, env);
  },
  async scheduled(controller, env) {
    await runScheduled(env, new Date(controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
