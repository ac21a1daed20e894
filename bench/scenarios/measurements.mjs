// Issue 3 figures: upload throughput against the engines people pick instead and against a naive one-row-per-sample
// Durable Object, rows written, 31-day GET and /series latency, peak memory of a 31-day upload, 50 concurrent uploads.
// Requests go through curl (timed by curl), uploads as multipart exactly as a phone sends them.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { curl, newUser, round, stats, timeCurl } from "../lib.mjs";

export const name = "measurements";

const DAY = 86_400;
const DAY0 = 1_754_697_600; // 2025-08-09T00:00:00Z
const isoDay = (t) => new Date(t * 1000).toISOString().slice(0, 10);

/** Deterministic, plausible 1 Hz heart rate: a bounded random walk with occasional lower-quality samples. */
export function heartRateCsv(start, seconds, seed = 1) {
  let x = seed >>> 0;
  const rand = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  let hr = 62;
  const lines = ["datetime,value,quality_indicator"];
  for (let i = 0; i < seconds; i++) {
    hr = Math.min(160, Math.max(45, hr + Math.round((rand() - 0.5) * 3)));
    const q = rand() < 0.9 ? 4 : rand() < 0.5 ? 3 : 2;
    lines.push(`${start + i},${hr},${q}`);
  }
  return `${lines.join("\n")}\n`;
}

const dir = mkdtempSync(join(tmpdir(), "nowatch-bench-data-"));
/** Writes a zipped CSV to a temp file; answers its path and size. */
export function zipFile(name, text) {
  const bytes = zipSync({ [`${name}.csv`]: strToU8(text) }, { level: 6 });
  const path = join(dir, `${name}.zip`);
  writeFileSync(path, bytes);
  return { path, bytes: bytes.length };
}

const uploadForm = (type, path) => ({ type, file: `@${path}` });

export async function run(server) {
  const { base } = server;

  // 1. One day of 1 Hz HEART_RATE (86,400 rows), zipped, through HTTP: the daily sync of an existing user (their
  //    Durable Object exists), a new day each run. A brand-new user's first upload (creating its SQLite database) apart.
  const runs = 20;
  const warmup = 3;
  const days = Array.from({ length: runs + warmup }, (_, i) =>
    zipFile(`day-${i}`, heartRateCsv(DAY0 + i * DAY, DAY, i + 1)),
  );
  const daily = await newUser(base, "daily");
  await curl(`${base}/v1/measurement/checkpoint`, { token: daily.access });
  const upload = await timeCurl(
    (i) =>
      curl(`${base}/v1/measurement/upload`, {
        method: "POST",
        token: daily.access,
        form: uploadForm("HEART_RATE", days[i].path),
      }),
    { runs, warmup },
  );
  const oursPerSecond = DAY / (upload.median / 1000);
  const firstUploads = [];
  for (let i = 0; i < 5; i++) {
    const fresh = await newUser(base, "first");
    const first = await curl(`${base}/v1/measurement/upload`, {
      method: "POST",
      token: fresh.access,
      form: uploadForm("HEART_RATE", days[0].path),
    });
    firstUploads.push(first.ms);
  }

  // 2. The same samples, one SQLite row per sample in a Durable Object (same multipart, unzip and CSV parser), and
  //    the rows each design writes (cursor.rowsWritten, what Durable Objects bill).
  const naive = await timeCurl(
    (i) =>
      curl(`${base}/bench/naive/upload?user=naive-${i}`, {
        method: "POST",
        form: uploadForm("HEART_RATE", days[0].path),
      }),
    { runs: 10, warmup: 2 },
  );
  const naivePerSecond = DAY / (naive.median / 1000);
  const naiveRows = (
    await curl(`${base}/bench/naive/upload?user=naive-rows`, {
      method: "POST",
      form: uploadForm("HEART_RATE", days[0].path),
    })
  ).body;
  const oursRows = (
    await curl(`${base}/bench/ours/upload?user=ours-rows`, {
      method: "POST",
      form: uploadForm("HEART_RATE", days[0].path),
    })
  ).body;

  // 4. A 31-day upload (2.68 M rows): latency and the workerd process's resident memory while it runs.
  const month = await newUser(base, "month");
  const monthZip = zipFile("month", heartRateCsv(DAY0, 31 * DAY, 7));
  await curl(`${base}/v1/measurement/checkpoint`, { token: month.access });
  const rssBefore = server.workerdRssKiB();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, server.workerdRssKiB());
  }, 20);
  const monthUpload = await curl(`${base}/v1/measurement/upload`, {
    method: "POST",
    token: month.access,
    form: uploadForm("HEART_RATE", monthZip.path),
  });
  clearInterval(sampler);

  // 3. GET 31 days of 1 Hz data, and /series at 1-minute resolution over the same 31 days.
  const getUrl = `${base}/v1/measurement?type=HEART_RATE&sort=ASC&start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0 + 30 * DAY)}`;
  let getBytes = 0;
  const get31 = await timeCurl(
    async () => {
      const res = await curl(getUrl, { token: month.access });
      getBytes = res.bytes;
      return res;
    },
    { runs: 5, warmup: 1 },
  );
  const seriesUrl = `${base}/v1/measurement/series?type=HEART_RATE&start=${isoDay(DAY0)}&end=${isoDay(DAY0 + 31 * DAY)}&resolution=1m&aggregate=min,max,avg`;
  let buckets = 0;
  const series = await timeCurl(
    async () => {
      const res = await curl(seriesUrl, { token: month.access });
      buckets = res.body.t?.length ?? 0;
      return res;
    },
    { runs: 20, warmup: 3 },
  );

  // 5. 50 concurrent uploads for one user into the same day, disjoint seconds.
  const crowd = await newUser(base, "concurrent");
  const parts = Array.from({ length: 50 }, (_, k) => zipFile(`part-${k}`, heartRateCsv(DAY0 + k * 1000, 1000, k + 11)));
  const c0 = performance.now();
  const answers = await Promise.all(
    parts.map((part) =>
      curl(`${base}/v1/measurement/upload`, {
        method: "POST",
        token: crowd.access,
        form: uploadForm("HEART_RATE", part.path),
      }),
    ),
  );
  const codes = answers.map((a) => a.status);
  const concurrentMs = performance.now() - c0;
  const stored = await curl(
    `${base}/v1/measurement?type=HEART_RATE&sort=ASC&start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0)}`,
    { token: crowd.access },
  );
  const storedCount = stored.body[0]?.count ?? 0;

  return {
    uploadOneDay: {
      zipKiB: round(days[0].bytes / 1024, 1),
      medianMs: round(upload.median),
      p90Ms: round(upload.p90),
      samplesPerSecond: Math.round(oursPerSecond),
      firstUploadOfNewUserMedianMs: round(stats(firstUploads).median),
      target: { samplesPerSecond: 2_000_000, medianMs: 45 },
      vsVictoriaMetrics_1_46M: round(oursPerSecond / 1_460_000),
      vsInfluxDB_0_44M: round(oursPerSecond / 440_000),
      vsPostgresCopy_0_38M: round(oursPerSecond / 380_000),
    },
    naiveRowPerSample: {
      medianMs: round(naive.median),
      samplesPerSecond: Math.round(naivePerSecond),
      oursVsNaive: round(oursPerSecond / naivePerSecond),
      rowsWrittenNaive: naiveRows.rowsWritten,
      rowsWrittenOurs: oursRows.rowsWritten,
      fewerRows: round(naiveRows.rowsWritten / oursRows.rowsWritten, 0),
      storedChunkKiB: round(oursRows.chunkBytes / 1024, 1),
      targets: { speedRatio: 3, fewerRows: 1000 },
    },
    upload31Days: {
      status: monthUpload.status,
      rows: monthUpload.body.rowsRead,
      zipMiB: round(monthZip.bytes / 1024 / 1024, 2),
      ms: round(monthUpload.ms),
      samplesPerSecond: Math.round(monthUpload.body.samplesAccepted / (monthUpload.ms / 1000)),
      workerdRssBeforeMiB: round(rssBefore / 1024, 1),
      workerdRssPeakMiB: round(rssPeak / 1024, 1),
      isolateLimitMiB: 128,
    },
    get31Days: {
      responseMiB: round(getBytes / 1024 / 1024, 1),
      medianMs: round(get31.median),
      targetMs: 1500,
      ratioToTarget: round(get31.median / 1500),
    },
    series31DaysOneMinute: {
      buckets,
      medianMs: round(series.median),
      targetMs: 150,
      ratioToTarget: round(series.median / 150),
    },
    concurrent50: {
      ms: round(concurrentMs),
      statuses: [...new Set(codes)],
      expectedSamples: 50_000,
      storedSamples: storedCount,
      allPresent: storedCount === 50_000,
    },
  };
}
