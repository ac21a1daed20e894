// Issue 12 figure 2: peak memory of a streamed export, by range (bench/export-memory.ts, in V8 under Node with
// --expose-gc, as bench/memory.ts measures uploads: workerd exposes no heap statistics). One process per range, so
// that no range inherits another's heap.
import { spawnSync } from "node:child_process";

export const name = "export-memory";

const RANGES = [7, 31, 90, 366];

export function run() {
  const runs = RANGES.map((days) => {
    const out = spawnSync(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "bench/export-memory.ts", String(days)],
      {
        encoding: "utf8",
      },
    );
    if (out.status !== 0) throw new Error(out.stderr);
    return JSON.parse(out.stdout.trim().split("\n").pop());
  });
  const peaks = runs.map((r) => r.livePeakAboveBaselineMiB);
  return {
    runs,
    maxOverMinPeak: Math.round((Math.max(...peaks) / Math.min(...peaks)) * 100) / 100,
    isolateLimitMiB: 128,
  };
}
