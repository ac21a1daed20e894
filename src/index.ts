import { createApp } from "./app";
import { handleExportBatch } from "./queue/exports";

export { RateLimiter } from "./rate-limiter/rate-limiter";
export { UserStore } from "./user-store/user-store";

const app = createApp();

export default {
  fetch(request, env, ctx) {
    return app.fetch(request, env, ctx);
  },
  queue(batch, env) {
    return handleExportBatch(batch, env);
  },
} satisfies ExportedHandler<Env>;
