// Issue 13 figures: a 50 MB firmware release uploaded through the admin form (streamed to R2), its download through
// the Worker (auth, D1 lookup, visibility, R2 stream) against the same bytes read straight from R2 by the bench
// Worker (target ratio ≥ 0.8), and a ranged resume (the first 20 MB, then the rest under If-Range) whose bytes must
// hash to the release's SHA-256. Timed by curl.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { curl, download, json, newUser, round, stats } from "../lib.mjs";

export const name = "firmware";

const SIZE = 50_000_000;
const ADMIN = { email: "admin@nowatch.local", password: "Admin-Passw0rd!" };
const dir = mkdtempSync(join(tmpdir(), "nowatch-bench-firmware-"));

function binary() {
  const bytes = new Uint8Array(SIZE);
  for (let i = 0, x = 7; i < SIZE; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

async function timedDownloads(url, token, out, runs) {
  await download(url, token, out); // warm-up
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const res = await download(url, token, out);
    if (res.status !== 200 || res.bytes !== SIZE) throw new Error(`download ${url}: ${res.status}, ${res.bytes} bytes`);
    samples.push(res.ms);
  }
  const s = stats(samples);
  return { medianMs: round(s.median), p90Ms: round(s.p90), MBps: round(SIZE / 1e6 / (s.median / 1000), 1) };
}

export async function run({ base }) {
  const login = await json(base, "POST", "/v2/auth/login/admin", { body: ADMIN });
  if (login.status !== 201) throw new Error(`admin login: ${login.status}`);
  const admin = login.body.access;
  const bytes = binary();
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const file = join(dir, "firmware.bin");
  writeFileSync(file, bytes);
  const hardware = `BENCH-${Date.now()}`;

  const upload = await curl(`${base}/v1/admin/firmware`, {
    method: "POST",
    token: admin,
    form: { version: "1.0.0", hardware_revisions: hardware, sha256, file: `@${file}` },
  });
  if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${JSON.stringify(upload.body).slice(0, 300)}`);
  const release = upload.body;
  const published = await json(base, "PATCH", `/v1/admin/firmware/${release.id}`, {
    token: admin,
    body: { status: "published" },
  });
  if (published.status !== 200) throw new Error(`publish: ${published.status}`);

  const user = await newUser(base, "firmware");
  const out = join(dir, "download.bin");
  const worker = await timedDownloads(`${base}/v1/firmware/${release.id}/download`, user.access, out, 5);
  const r2 = await timedDownloads(`${base}/bench/r2/firmware?key=releases/${release.id}`, null, out, 5);

  // A resume: the first 20 MB, then the rest under If-Range with the ETag of the first answer.
  const probe = await fetch(`${base}/v1/firmware/${release.id}/download`, {
    headers: { authorization: `Bearer ${user.access}`, range: "bytes=0-0" },
  });
  if (probe.status !== 206) throw new Error(`range probe: ${probe.status}`);
  const etag = probe.headers.get("etag");
  await probe.arrayBuffer();
  const first = await download(`${base}/v1/firmware/${release.id}/download`, user.access, join(dir, "part1.bin"), {
    range: "bytes=0-19999999",
  });
  const rest = await download(`${base}/v1/firmware/${release.id}/download`, user.access, join(dir, "part2.bin"), {
    range: "bytes=20000000-",
    "if-range": etag,
  });
  const resumed = createHash("sha256")
    .update(readFileSync(join(dir, "part1.bin")))
    .update(readFileSync(join(dir, "part2.bin")))
    .digest("hex");
  return {
    sizeMB: SIZE / 1e6,
    upload: {
      ms: round(upload.ms),
      MBps: round(SIZE / 1e6 / (upload.ms / 1000), 1),
      sha256Checked: release.sha256 === sha256,
    },
    downloadThroughWorker: worker,
    downloadStraightFromR2: r2,
    ratioToR2: round(worker.MBps / r2.MBps),
    targetRatio: 0.8,
    resume: {
      firstStatus: first.status,
      firstBytes: first.bytes,
      restStatus: rest.status,
      restBytes: rest.bytes,
      totalMs: round(first.ms + rest.ms),
      sha256Matches: resumed === sha256,
    },
  };
}
