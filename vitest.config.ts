import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

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
