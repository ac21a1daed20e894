import { createApp } from "./app";
import { handleExportBatch } from "./queue/exports";

export { RateLimiter } from "./rate-limiter/rate-limiter";
export { UserStore } from "./user-store/user-store";

const app = createApp();

/** The contract's server is the relative URL `/nowatch`: serve every operation there too (contract §1 Servers). */
const PREFIX = "/nowatch";

function stripPrefix(request: Request): Request {
  const url = new URL(request.url);
  if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) return request;
  url.pathname = url.pathname.slice(PREFIX.length) || "/";
  return new Request(url, request);
}

export default {
  fetch(request, env, ctx) {
    return app.fetch(stripPrefix(request), env, ctx);
  },
  queue(batch, env) {
    return handleExportBatch(batch, env);
  },
} satisfies ExportedHandler<Env>;
