// Issue 16 figures, all in one run: one day of 1 Hz HEART_RATE against VictoriaMetrics ingesting the same samples
// side by side (when the Debian package `victoria-metrics` is installed), a 31-day upload, how upload and GET time
// grow over 1, 7, 31 and 90 days, and a one-row upload against GET /v1/user. Requests through curl, timed by curl.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { curl, newUser, round, stats, timeCurl } from "../lib.mjs";
import { heartRateCsv, zipFile } from "./measurements.mjs";

export const name = "ingest";

const DAY = 86_400;
const DAY0 = 1_754_697_600; // 2025-08-09T00:00:00Z
const isoDay = (t) => new Date(t * 1000).toISOString().slice(0, 10);
const VM_BINARY = "/usr/bin/victoria-metrics";

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The same samples as Influx line protocol, what VictoriaMetrics ingests fastest over HTTP (/write). */
function lineProtocol(csv) {
  const out = [];
  const lines = csv.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const [t, v, q] = lines[i].split(",");
    if (t) out.push(`heart_rate,user=u1 value=${v},quality=${q} ${t}000000000`);
  }
  return `${out.join("\n")}\n`;
}

async function startVictoriaMetrics() {
  if (!existsSync(VM_BINARY)) return null;
  const data = mkdtempSync(join(tmpdir(), "nowatch-bench-vm-"));
  const port = await freePort();
  const child = spawn(
    VM_BINARY,
    [`-storageDataPath=${data}`, `-httpListenAddr=127.0.0.1:${port}`, "-loggerLevel=ERROR"],
    {
      stdio: "ignore",
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const version = spawnSync("dpkg-query", ["-W", "-f=\u0024{Version}", "victoria-metrics"], {
    encoding: "utf8",
  }).stdout;
  return {
    base,
    version,
    stop() {
      child.kill("SIGKILL");
      rmSync(data, { recursive: true, force: true });
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "nowatch-bench-ingest-"));
function textFile(label, text) {
  const path = join(dir, label);
  writeFileSync(path, text);
  return path;
}

const upload = (base, user, path, type = "HEART_RATE") =>
  curl(`${base}/v1/measurement/upload`, { method: "POST", token: user.access, form: { type, file: `@${path}` } });

/** Least-squares line through (x, y): slope and intercept. */
function lineFit(points) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const slope = sxy / sxx;
  const r2 = sxy ** 2 / (sxx * points.reduce((s, [, y]) => s + (y - my) ** 2, 0));
  return { slope, intercept: my - slope * mx, r2 };
}

export async function run(server) {
  const { base } = server;
  const runs = 15;
  const warmup = 3;

  // 1. One day, ours and VictoriaMetrics', alternating run by run so both see the same machine load.
  const csvs = Array.from({ length: runs + warmup }, (_, i) => heartRateCsv(DAY0 + i * DAY, DAY, i + 1));
  const zips = csvs.map((text, i) => zipFile(`ingest-day-${i}`, text));
  const lps = csvs.map((text, i) => textFile(`day-${i}.lp`, lineProtocol(text)));
  const daily = await newUser(base, "ingest-daily");
  await curl(`${base}/v1/measurement/checkpoint`, { token: daily.access });
  // The same days uploaded again straight to the runtime (no wrangler dev proxy), into a user of their own.
  const { direct } = server;
  const dailyDirect = direct ? await newUser(base, "ingest-daily-direct") : null;
  const vm = await startVictoriaMetrics();
  const ours = [];
  const oursDirect = [];
  const theirs = [];
  try {
    for (let i = 0; i < runs + warmup; i++) {
      const mine = await upload(base, daily, zips[i].path);
      if (mine.status !== 201) throw new Error(`upload ${mine.status}: ${JSON.stringify(mine.body)}`);
      const mineDirect = direct ? await upload(direct, dailyDirect, zips[i].path) : null;
      if (mineDirect && mineDirect.status !== 201) throw new Error(`direct upload ${mineDirect.status}`);
      const vmRun = vm ? await curl(`${vm.base}/write`, { method: "POST", data: `@${lps[i]}` }) : null;
      if (vmRun && vmRun.status !== 204) throw new Error(`victoria-metrics ${vmRun.status}`);
      if (i >= warmup) {
        ours.push(mine.ms);
        if (mineDirect) oursDirect.push(mineDirect.ms);
        if (vmRun) theirs.push(vmRun.ms);
      }
    }
  } finally {
    vm?.stop();
  }
  const day = stats(ours);
  const dayDirect = oursDirect.length ? stats(oursDirect) : null;
  const vmDay = theirs.length ? stats(theirs) : null;

  // 2. How cost grows with work: upload and GET of 1, 7, 31 and 90 days, each upload into a fresh user.
  const scaling = [];
  for (const days of [1, 7, 31, 90]) {
    const zip = zipFile(`ingest-range-${days}`, heartRateCsv(DAY0, days * DAY, 100 + days));
    const times = [];
    let user;
    const tries = days >= 31 ? 2 : 4;
    for (let k = 0; k < tries; k++) {
      user = await newUser(base, `ingest-${days}d`);
      await curl(`${base}/v1/measurement/checkpoint`, { token: user.access });
      const res = await upload(base, user, zip.path);
      if (res.status !== 201) throw new Error(`${days}-day upload ${res.status}: ${JSON.stringify(res.body)}`);
      times.push(res.ms);
    }
    const url = `${base}/v1/measurement?type=HEART_RATE&sort=ASC&start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0 + (days - 1) * DAY)}`;
    let bytes = 0;
    const get = await timeCurl(
      async () => {
        const res = await curl(url, { token: user.access });
        bytes = res.bytes;
        return res;
      },
      { runs: days >= 31 ? 3 : 8, warmup: 1 },
    );
    const uploadMs = stats(times).median;
    scaling.push({
      days,
      samples: days * DAY,
      zipMiB: round(zip.bytes / 1024 / 1024, 2),
      uploadMs: round(uploadMs),
      uploadSamplesPerSecond: Math.round((days * DAY) / (uploadMs / 1000)),
      getMs: round(get.median),
      getMiB: round(bytes / 1024 / 1024, 1),
    });
  }
  const upFit = lineFit(scaling.map((s) => [s.days, s.uploadMs]));
  const getFit = lineFit(scaling.map((s) => [s.days, s.getMs]));
  const month = scaling.find((s) => s.days === 31);

  // 3. A one-row upload against GET /v1/user, interleaved; the same straight to the runtime when it can be found.
  const rows = Array.from({ length: 40 }, (_, i) =>
    zipFile(`ingest-one-${i}`, `datetime,value,quality_indicator\n${DAY0 + i},70,4\n`),
  );
  const oneRowRatio = async (at) => {
    const single = await newUser(base, "ingest-one");
    await upload(at, single, rows[0].path);
    const oneRow = [];
    const profile = [];
    for (let i = 1; i < rows.length; i++) {
      const u = await upload(at, single, rows[i].path);
      if (u.status !== 201) throw new Error(`one-row upload ${u.status}`);
      const g = await curl(`${at}/v1/user`, { token: single.access });
      if (i > 4) {
        oneRow.push(u.ms);
        profile.push(g.ms);
      }
    }
    const one = stats(oneRow).median;
    const me = stats(profile).median;
    return { medianMs: round(one), getUserMedianMs: round(me), ratio: round(one / me) };
  };
  const oneRow = await oneRowRatio(base);
  const oneRowDirect = direct ? await oneRowRatio(direct) : null;

  // 3b. What any request, a D1 query, a store call and a store write cost before any work (bench/worker): the
  //     floors the one-row upload and GET /v1/user are built from.
  const floorOf = async (at, path) =>
    round((await timeCurl(() => curl(`${at}${path}`), { runs: 25, warmup: 3 })).median);
  const floors = async (at) => ({
    request: await floorOf(at, "/bench/stages?upto=none"),
    healthOneD1Query: await floorOf(at, "/health"),
    storeCall: await floorOf(at, "/bench/floor/store?user=floor"),
    storeWriteOneRow: await floorOf(at, "/bench/floor/store?user=floor&write"),
  });
  const floorsMs = { throughWranglerDev: await floors(base), direct: direct ? await floors(direct) : null };

  // 3c. The CPU of reading one day's upload (multipart, inflate, parse, encode) inside the runtime: the route's reader
  //     run 21 times over one body in one request, minus once, over 20. An upper bound: the garbage of 21 days
  //     collects within the one request.
  const cpuBase = direct ?? base;
  const cpuRun = async (n) =>
    (
      await timeCurl(
        () =>
          curl(`${cpuBase}/bench/cpu/upload?n=${n}`, {
            method: "POST",
            form: { type: "HEART_RATE", file: `@${zips[0].path}` },
          }),
        { runs: 7, warmup: 1 },
      )
    ).median;
  const cpuPerDayMs = round(((await cpuRun(21)) - (await cpuRun(1))) / 20);

  // 4. Where a day's upload goes: the pipeline cut after each stage (bench/worker /bench/stages), medians of curl's
  //    time, each stage the difference to the cut before it.
  const stageNames = ["none", "form", "inflate", "parse", "encode", "store"];
  const cuts = {};
  for (const upto of stageNames) {
    const t = await timeCurl(
      (i) =>
        curl(`${base}/bench/stages?upto=${upto}&user=stages-${upto}`, {
          method: "POST",
          form: { type: "HEART_RATE", file: `@${zips[i % zips.length].path}` },
        }),
      { runs: 15, warmup: 3 },
    );
    cuts[upto] = t.median;
  }
  const breakdown = {};
  for (let k = 1; k < stageNames.length; k++) {
    breakdown[stageNames[k]] = round(cuts[stageNames[k]] - cuts[stageNames[k - 1]]);
  }
  breakdown.requestFloor = round(cuts.none);
  breakdown.authLastSyncAndResponse = round(day.median - cuts.store);

  return {
    oneDayBreakdownMs: breakdown,
    oneDay: {
      samples: DAY,
      zipKiB: round(zips[0].bytes / 1024, 1),
      oursMedianMs: round(day.median),
      oursSamplesPerSecond: Math.round(DAY / (day.median / 1000)),
      victoriaMetrics: vmDay
        ? {
            version: vm.version,
            lineProtocolMiB: round(Buffer.byteLength(lineProtocol(csvs[0])) / 1024 / 1024, 2),
            medianMs: round(vmDay.median),
            samplesPerSecond: Math.round(DAY / (vmDay.median / 1000)),
          }
        : "not installed (apt-get install victoria-metrics)",
      ratioToVictoriaMetrics: vmDay ? round(vmDay.median / day.median) : null,
      directMedianMs: dayDirect ? round(dayDirect.median) : null,
      directRatioToVictoriaMetrics: vmDay && dayDirect ? round(vmDay.median / dayDirect.median) : null,
      cpuPerDayUpperBoundMs: cpuPerDayMs,
      target: "≥ 2× VictoriaMetrics",
    },
    floorsMs,
    thirtyOneDays: {
      samplesPerSecond: month.uploadSamplesPerSecond,
      uploadMs: month.uploadMs,
      target: "≥ 3,000,000 samples/s",
      getMs: month.getMs,
      getTarget: "≤ 150 ms",
    },
    scaling,
    scalingFit: {
      uploadMsPerDay: round(upFit.slope),
      uploadInterceptMs: round(upFit.intercept),
      uploadR2: round(upFit.r2, 4),
      getMsPerDay: round(getFit.slope),
      getInterceptMs: round(getFit.intercept),
      getR2: round(getFit.r2, 4),
    },
    oneRowUpload: {
      ...oneRow,
      direct: oneRowDirect,
      target: "≤ 1.3× GET /v1/user",
    },
  };
}
