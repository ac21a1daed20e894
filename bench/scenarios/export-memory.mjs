// Issue 12 figure 2: peak memory of a streamed export, by range (bench/export-memory.ts, in V8 under Node with
// --expose-gc, as bench/memory.ts measures uploads: workerd exposes no heap statistics).
import { spawnSync } from "node:child_process";

export const name = "export-memory";

export function run() {
  const out = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "bench/export-memory.ts"], {
    encoding: "utf8",
  });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split("\n").pop());
}
