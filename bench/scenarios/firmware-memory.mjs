// Issue 13 figure: peak memory of receiving a firmware upload, by size (bench/firmware-memory.ts, in V8 under Node
// with --expose-gc: workerd exposes no heap statistics). One process per size.
import { spawnSync } from "node:child_process";

export const name = "firmware-memory";

const SIZES_MB = [10, 50, 100];

export function run() {
  const runs = SIZES_MB.map((mb) => {
    const out = spawnSync(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "bench/firmware-memory.ts", String(mb)],
      {
        encoding: "utf8",
      },
    );
    if (out.status !== 0) throw new Error(out.stderr);
    return JSON.parse(out.stdout.trim().split("\n").pop());
  });
  return { runs, isolateLimitMiB: 128 };
}
