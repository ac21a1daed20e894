#!/usr/bin/env node
// `npm run bench [-- name ...]`: runs the benchmark scenarios against a local `wrangler dev` (workerd with local D1,
// Durable Objects and R2, as `npm run dev`) and prints one JSON report; also written to bench/results/latest.json.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(join(here, "scenarios"))
  .filter((f) => f.endsWith(".mjs"))
  .sort();
const server = await startServer();
const report = {
  machine: { node: process.version, cpus: (await import("node:os")).cpus().length },
  at: new Date().toISOString(),
};
try {
  for (const file of files) {
    const scenario = await import(join(here, "scenarios", file));
    if (wanted.length > 0 && !wanted.includes(scenario.name)) continue;
    process.stderr.write(`bench: ${scenario.name}...\n`);
    try {
      report[scenario.name] = await scenario.run(server);
    } catch (error) {
      process.stderr.write(`bench: ${scenario.name} failed; server log tail:\n${server.logs()}\n`);
      throw error;
    }
  }
} finally {
  server.stop();
}
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
