// Issue 3 figure 4: peak memory of a 31-day upload through the parsing pipeline (bench/memory.ts, in V8 under Node
// with --expose-gc: workerd exposes no heap statistics, and its process RSS counts every isolate and uncollected
// garbage).
import { spawnSync } from "node:child_process";

export const name = "memory";

export function run() {
  const out = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "bench/memory.ts"], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split("\n").pop());
}
