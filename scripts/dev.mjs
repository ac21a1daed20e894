#!/usr/bin/env node
// `npm run dev [-- --port N]`: applies the D1 migrations to local state, then serves the API with `wrangler dev`
// on local D1, R2, Durable Objects and Queues. NOWATCH_ENV=local turns on the documented development credentials.
import { spawn, spawnSync } from "node:child_process";

const wrangler = (args, options = {}) =>
  spawnSync("npx", ["wrangler", ...args], { stdio: "inherit", env: { ...process.env, CI: "true" }, ...options });

const migrate = wrangler(["d1", "migrations", "apply", "nowatch", "--local"]);
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const extra = process.argv.slice(2);
const hasPort = extra.some((arg) => arg === "--port" || arg.startsWith("--port="));
const child = spawn(
  "npx",
  ["wrangler", "dev", "--var", "NOWATCH_ENV:local", ...(hasPort ? [] : ["--port", "8787"]), ...extra],
  { stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
