// Issue 3 figures: upload throughput against the engines people pick instead and against a naive one-row-per-sample
// Durable Object, rows written, 31-day GET and /series latency, peak memory of a 31-day upload, 50 concurrent uploads.
import { strToU8, zipSync } from "fflate";
import { fetchOnce, json, newUser, round, stats, time } from "../lib.mjs";

export const name = "measurements";

const DAY = 86_400;
const DAY0 = 1_754_697_600; // 2025-08-09T00:00:00Z
const isoDay = (t) => new Date(t * 1000).toISOString().slice(0, 10);

/** Deterministic, plausible 1 Hz heart rate: a bounded random walk with occasional lower-quality samples. */
function heartRateCsv(start, seconds, seed = 1) {
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

const zip = (text) => zipSync({ "heart_rate.csv": strToU8(text) }, { level: 6 });

async function postForm(base, path, token, type, bytes) {
  const form = new FormData();
  form.append("type", type);
  form.append("file", new Blob([bytes]), "data.zip");
  // Serialize the form first, so the request carries a Content-Length and can be resent as is.
  const encoded = new Response(form);
  const headers = { "content-type": encoded.headers.get("content-type") };
  if (token) headers.authorization = `Bearer ${token}`;
  const body = await encoded.arrayBuffer();
  const res = await fetchOnce(base + path, { method: "POST", headers, body });
  const answer = await res.json();
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

export async function run(server) {
  const { base } = server;
  const dayZip = zip(heartRateCsv(DAY0, DAY));
  const samplesPerDay = DAY;

  // 1. One day of 1 Hz HEART_RATE, zipped, through HTTP: the daily sync of an existing user (their Durable Object
  //    exists), each run a new day. Creating a brand-new user's object (a new SQLite database) is measured apart.
  const runs = 20;
  const warmup = 3;
  const dayZips = Array.from({ length: runs + warmup }, (_, i) => zip(heartRateCsv(DAY0 + i * DAY, DAY, i + 1)));
  const daily = await newUser(base, "daily");
  await json(base, "GET", "/v1/measurement/checkpoint", { token: daily.access });
  const upload = await time((i) => postForm(base, "/v1/measurement/upload", daily.access, "HEART_RATE", dayZips[i]), {
    runs,
    warmup,
  });
  const oursPerSecond = samplesPerDay / (upload.median / 1000);
  const firstUploads = [];
  for (let i = 0; i < 5; i++) {
    const fresh = await newUser(base, "first");
    const t = performance.now();
    await postForm(base, "/v1/measurement/upload", fresh.access, "HEART_RATE", dayZip);
    firstUploads.push(performance.now() - t);
  }

  // 2. The same samples one row per sample in a Durable Object's SQLite (same multipart, unzip and CSV parser).
  const naive = await time((i) => postForm(base, `/bench/naive/upload?user=naive-${i}`, null, "HEART_RATE", dayZip), {
    runs: 10,
    warmup: 2,
  });
  const naiveRows = await postForm(base, "/bench/naive/upload?user=naive-rows", null, "HEART_RATE", dayZip);
  const oursRows = await postForm(base, "/bench/ours/upload?user=ours-rows", null, "HEART_RATE", dayZip);
  const naivePerSecond = samplesPerDay / (naive.median / 1000);

  // 4. A 31-day upload (2.68 M rows): latency and peak workerd memory while it runs.
  const month = await newUser(base, "month");
  const monthText = heartRateCsv(DAY0, 31 * DAY, 7);
  const monthZip = zip(monthText);
  const rssBefore = server.workerdRssKiB();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, server.workerdRssKiB());
  }, 25);
  const t0 = performance.now();
  const monthSummary = await postForm(base, "/v1/measurement/upload", month.access, "HEART_RATE", monthZip);
  const monthMs = performance.now() - t0;
  clearInterval(sampler);

  // 3. GET 31 days of 1 Hz data, and /series at 1-minute resolution over the same 31 days.
  const getPath = `/v1/measurement?type=HEART_RATE&sort=ASC&start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0 + 30 * DAY)}`;
  let getBytes = 0;
  const get31 = await time(
    async () => {
      const res = await fetchOnce(base + getPath, { headers: { authorization: `Bearer ${month.access}` } });
      getBytes = (await res.arrayBuffer()).byteLength;
    },
    { runs: 5, warmup: 1 },
  );
  const seriesPath = `/v1/measurement/series?type=HEART_RATE&start=${isoDay(DAY0)}&end=${isoDay(DAY0 + 31 * DAY)}&resolution=1m&aggregate=min,max,avg`;
  let buckets = 0;
  const series = await time(
    async () => {
      const res = await json(base, "GET", seriesPath, { token: month.access });
      buckets = res.body.t.length;
    },
    { runs: 20, warmup: 3 },
  );

  // 5. 50 concurrent uploads for one user into the same day, disjoint seconds.
  const crowd = await newUser(base, "concurrent");
  const parts = Array.from({ length: 50 }, (_, k) => zip(heartRateCsv(DAY0 + k * 1000, 1000, k + 11)));
  const c0 = performance.now();
  await Promise.all(parts.map((part) => postForm(base, "/v1/measurement/upload", crowd.access, "HEART_RATE", part)));
  const concurrentMs = performance.now() - c0;
  const stored = await json(
    base,
    "GET",
    `/v1/measurement?type=HEART_RATE&sort=ASC&start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0)}`,
    {
      token: crowd.access,
    },
  );

  return {
    uploadOneDay: {
      zipKiB: round(dayZip.length / 1024, 1),
      medianMs: round(upload.median),
      p90Ms: round(upload.p90),
      firstUploadOfNewUserMedianMs: round(stats(firstUploads).median),
      samplesPerSecond: Math.round(oursPerSecond),
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
      rows: monthSummary.rowsRead,
      zipMiB: round(monthZip.length / 1024 / 1024, 2),
      csvMiB: round(monthText.length / 1024 / 1024, 1),
      ms: round(monthMs),
      samplesPerSecond: Math.round(monthSummary.samplesAccepted / (monthMs / 1000)),
      workerdRssBeforeMiB: round(rssBefore / 1024, 1),
      workerdRssPeakMiB: round(rssPeak / 1024, 1),
      workerdRssGrowthMiB: round((rssPeak - rssBefore) / 1024, 1),
      isolateLimitMiB: 128,
    },
    get31Days: {
      samples: monthSummary.samplesAccepted,
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
      expectedSamples: 50_000,
      storedSamples: stored.body[0]?.count ?? 0,
      allPresent: (stored.body[0]?.count ?? 0) === 50_000,
    },
  };
}
