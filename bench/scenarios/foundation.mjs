// Issue 2 figures: the Worker bundle size (goal < 1 MB gzipped) and the median latency of GET /v1/user locally.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { json, newUser, round, time } from "../lib.mjs";

export const name = "foundation";

export function bundleSize() {
  const out = mkdtempSync(join(tmpdir(), "nowatch-bundle-"));
  const build = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(build.stderr);
  let raw = 0;
  let gzipped = 0;
  for (const file of readdirSync(out)) {
    const path = join(out, file);
    if (!statSync(path).isFile() || file.endsWith(".map")) continue;
    const bytes = readFileSync(path);
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  return {
    rawKiB: round(raw / 1024, 1),
    gzipKiB: round(gzipped / 1024, 1),
    goalKiB: 1024,
    ratioToGoal: round(gzipped / (1024 * 1024), 3),
  };
}

export async function run({ base }) {
  const user = await newUser(base);
  const latency = await time(() => json(base, "GET", "/v1/user", { token: user.access }), { runs: 200, warmup: 20 });
  return {
    bundle: bundleSize(),
    getUserMs: { median: round(latency.median), p90: round(latency.p90), n: latency.n },
  };
}
