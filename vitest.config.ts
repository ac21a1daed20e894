import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { webhookReceiver } from "./test/webhook-receiver.ts";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // Tests run as local development does: the documented dev credentials and signing key are accepted.
          // One listed CORS origin, as a deployment would configure its dashboard (test/http/cors.test.ts).
          bindings: {
            TEST_MIGRATIONS: migrations,
            NOWATCH_ENV: "local",
            CORS_ORIGINS: "https://dashboard.example.com",
          },
          // Export messages go to a queue without a consumer: the export tests deliver each one themselves
          // (test/fixtures/exports.ts `deliver`), with the attempt numbers and failures they need.
          queueProducers: { EXPORT_QUEUE: { queueName: "nowatch-exports-tests" } },
          // Every fetch the Worker makes to the network (webhook deliveries, DNS-over-HTTPS) reaches the receivers
          // and the resolver of test/webhook-receiver.ts instead.
          outboundService: webhookReceiver,
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      setupFiles: ["./test/setup.ts"],
      testTimeout: 30_000,
      // Structured refusal logs ({"event":...}) are expected in security tests; keep the output readable.
      onConsoleLog: (log: string) => !log.startsWith('{"event"') && !log.startsWith("[mail outbox]"),
    },
  };
});
