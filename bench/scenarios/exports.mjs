// Issue 12 figures: the streamed export of 31 days of 1 Hz HEART_RATE (2.68 M samples), in MB/s of CSV (target
// ≥ 100 MB/s) and as a ratio to GET /v1/measurement over the same days; and an asynchronous job end to end (create →
// the queue consumer's multipart upload → COMPLETED → the download). Timed by curl, which writes the body to a file.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { curl, download, json, newUser, round, stats } from "../lib.mjs";
import { heartRateCsv, zipFile } from "./measurements.mjs";

export const name = "exports";

const DAY = 86_400;
const DAY0 = 1_754_697_600; // 2025-08-09T00:00:00Z
const DAYS = 31;
const isoDay = (t) => new Date(t * 1000).toISOString().slice(0, 10);
const dir = mkdtempSync(join(tmpdir(), "nowatch-bench-export-"));

async function timed(fn, runs, warmup) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = await fn();
    if (last.status !== 200) throw new Error(`HTTP ${last.status}`);
    samples.push(last.ms);
  }
  return { ...stats(samples), last };
}

const manifestOf = (path) =>
  JSON.parse(strFromU8(unzipSync(readFileSync(path), { filter: (f) => f.name === "manifest.json" })["manifest.json"]));

export async function run({ base }) {
  const user = await newUser(base, "export");
  const file = zipFile("export-month", heartRateCsv(DAY0, DAYS * DAY, 12));
  const up = await curl(`${base}/v1/measurement/upload`, {
    method: "POST",
    token: user.access,
    form: { type: "HEART_RATE", file: `@${file.path}` },
  });
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${JSON.stringify(up.body).slice(0, 200)}`);
  const range = `start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0 + (DAYS - 1) * DAY)}`;
  const zipPath = join(dir, "export.zip");

  const exportRun = await timed(
    () => download(`${base}/v1/user/export?${range}&types=HEART_RATE`, user.access, zipPath),
    5,
    1,
  );
  const manifest = manifestOf(zipPath);
  const csv = manifest.files[0];
  const measurement = await timed(
    () =>
      download(`${base}/v1/measurement?type=HEART_RATE&sort=ASC&${range}`, user.access, join(dir, "measurement.json")),
    5,
    1,
  );

  // The asynchronous job: wall time from create to COMPLETED (polling every 250 ms; local queues batch for up to
  // max_batch_timeout seconds before they deliver), then the download of the stored archive.
  const started = performance.now();
  const created = await json(base, "POST", `/v1/user/export/create?${range}&types=HEART_RATE`, { token: user.access });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  let job;
  for (;;) {
    const listed = await json(base, "GET", "/v1/user/export/list", { token: user.access });
    job = listed.body.find((j) => j.id === created.body.id);
    if (job.status !== "IN_PROGRESS") break;
    if (performance.now() - started > 180_000) throw new Error("export job did not finish in 3 minutes");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const jobMs = performance.now() - started;
  if (job.status !== "COMPLETED") throw new Error(`job ${job.status}: ${job.reason}`);
  const result = await timed(
    () => download(`${base}/v1/user/export/${job.id}/result`, user.access, join(dir, "result.zip")),
    5,
    1,
  );
  rmSync(dir, { recursive: true, force: true });

  const mbPerSecond = csv.bytes / 1e6 / (exportRun.median / 1000);
  return {
    samples: csv.records,
    csvMB: round(csv.bytes / 1e6),
    zipMB: round(exportRun.last.bytes / 1e6),
    streamedExport: {
      medianMs: round(exportRun.median),
      p90Ms: round(exportRun.p90),
      csvMBps: round(mbPerSecond),
      targetMBps: 100,
      ratioToTarget: round(mbPerSecond / 100),
      samplesPerSecond: Math.round(csv.records / (exportRun.median / 1000)),
    },
    getMeasurement: {
      medianMs: round(measurement.median),
      jsonMB: round(measurement.last.bytes / 1e6),
      exportToGetRatio: round(exportRun.median / measurement.median),
    },
    job: {
      createToCompletedMs: Math.round(jobMs),
      sizeMB: round(job.sizeBytes / 1e6),
      resultDownloadMedianMs: round(result.median),
    },
  };
}
