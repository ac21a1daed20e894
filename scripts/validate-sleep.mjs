#!/usr/bin/env node
// `npm run validate:sleep`: the sleep statistics measured against polysomnography (PSG), through the real API path.
//
// What it does. For every night of a folder of PSG-labelled wrist recordings (default: the development set
// ../shared/data/sleep-accel-dev beside the repository; `--data DIR` for any other folder of the same layout), it
// uploads the watch's heart rate and motion as a new user of a local Worker, asks GET /v1/statistics for the night's
// SLEEP_DURATION and SLEEP_STAGES, turns the answer into a prediction, and scores the predictions with the data
// set's own scorer (`score.mjs` of the data folder when it has one, else the development set's):
// `node score.mjs predictions.json --truth DIR --json`. It prints the per-night errors, the medians, the wake
// specificity and sleep sensitivity of the hypnogram, and each target below as met or not met.
//
// How.
// - One local stack for the whole run: `startServer("wrangler.toml")` of bench/lib.mjs, i.e. `wrangler dev` of the
//   production Worker config (wrangler.toml, src/index.ts) with `--var NOWATCH_ENV:local`, on fresh state in a temp
//   dir and a free port, D1 migrations applied. Not startServer's default, the bench Worker (bench/worker), which
//   wraps the same API but adds bench routes and store methods; its one use, reading the mailed verification code,
//   is not needed here (`newUser(..., { verify: false })`: statistics of one's own data need no verified address).
//   The server is stopped on every path: the end, an error, SIGINT/SIGTERM, and process exit.
// - A new user per night (all nights share the same dates). Nights run a few at a time (`--concurrency`, 4).
// - `heart_rate.csv` is uploaded as HEART_RATE unchanged (POST /v1/measurement/upload, multipart `type` then
//   `file`). `walch_count_feature_30s.csv` (Walch's smoothed 30-s count feature, decimals) by `--motion`:
//   - `ACTIVITY_COUNT` (default): ACTIVITY_COUNT takes integers only (docs/measurements.md), so each value is
//     multiplied by 100 and rounded (0.017676 -> 2); `datetime,value,quality_indicator`;
//   - `MOTION_GRAPH`: `datetime,value`, the decimals as they are;
//   - `none`: heart rate only.
//   `--heart-every S` sends heart rate at most once per S seconds (the first sample of each slot): a watch that
//   samples once a minute, say.
//   `--motion-scale K` multiplies the values by K first (default 1): the statistics set their thresholds from the
//   user's own distribution, so a device's scale should not change them.
// - The night of a folder is reported under the UTC date D whose window holds its last labels.csv row: a night
//   belongs to the date on which it ends, and ends before 18:00 of it (docs/statistics.md), so a recording that
//   stops at 23:00 is the next day's. GET /v1/statistics?type=SLEEP_DURATION,SLEEP_STAGES&start_day=D&end_day=D&
//   time_zone=UTC.
// - Prediction (the scorer's format): SLEEP_DURATION gives totalSleepMinutes, sleepOnset, wakeTime; SLEEP_STAGES
//   gives deepMinutes, remMinutes, lightMinutes and the hypnogram (`data.hypnogram.stages`, one letter per 30 s
//   from `data.hypnogram.start`: W/L/D/R -> wake/light/deep/rem). A document with `enoughData: false` gives
//   nothing, and its `metadata.reason` is printed.
// - Wake specificity (true wake predicted wake / true wake) and sleep sensitivity (true sleep predicted sleep /
//   true sleep) are computed here from the hypnogram against labels.csv over the scored epochs (stage >= 0); an
//   epoch outside the hypnogram (outside time in bed) counts as predicted wake. Nights without a hypnogram are left
//   out of them (and listed), as the scorer leaves them out of its epoch scores.
//
// Targets (TARGETS below), over the FULL nights (the scorer's "full nights": not flagged `short`): total sleep (TST)
// median |error| <= 15 min and max |error| <= 60 min (a full night without a TST misses the max); sleep onset median
// |error| <= 15 min; wake time median |error| <= 10 min; sleep/wake median accuracy >= 0.90; pooled wake
// specificity >= 0.55; wake/NREM/REM median accuracy >= 0.72 and median kappa >= 0.40; deep and REM median |error|
// <= 25 min. With `--motion none` the only target is TST median |error| <= 30 min.
//
// Output. The table and summary on stdout; `--json FILE` writes { run, nights, medians, specificity, targets };
// `--predictions FILE` keeps the predictions file; `--plot [FILE]` writes a Bland-Altman plot of total sleep as a
// self-contained SVG (default docs/validation/sleep-tst-bland-altman.svg). Exit code 0 when it ran, even with
// targets missed; with `--check`, 1 when a target is missed. Any HTTP failure, a missing document or a scorer
// failure: exit 1 with the reason.
//
// Data and required citations. The development set is 19 subjects of the PhysioNet data set "Motion and heart rate
// from a wrist-worn wearable and labeled sleep from polysomnography" (sleep-accel 1.0.0), under the Open Data
// Commons Attribution License v1.0 (ODC-By 1.0); any use must keep this attribution:
// - Walch, O. (2019). Motion and heart rate from a wrist-worn wearable and labeled sleep from polysomnography
//   (version 1.0.0). PhysioNet. https://doi.org/10.13026/hmhs-py35
// - Walch O, Huang Y, Forger D, Goldstein C. Sleep stage prediction with raw acceleration and photoplethysmography
//   heart rate data derived from a consumer wearable device. SLEEP 42(12):zsz180, 2019.
//   https://doi.org/10.1093/sleep/zsz180
// - Goldberger A, et al. PhysioBank, PhysioToolkit, and PhysioNet: Components of a new research resource for
//   complex physiologic signals. Circulation 101(23):e215-e220, 2000.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fetchOnce, newUser, startServer } from "../bench/lib.mjs";
import { agreement, COUNT_FACTOR, epochCounts, nightDay, readLabels, readRows } from "./sleep-dataset.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DEV_SET = resolve(ROOT, "../shared/data/sleep-accel-dev");
const DEFAULT_PLOT = "docs/validation/sleep-tst-bland-altman.svg";
const CONFIG = "wrangler.toml";
const MOTION_MODES = ["ACTIVITY_COUNT", "MOTION_GRAPH", "none"];
const STAGE_NAMES = { W: "wake", L: "light", D: "deep", R: "rem" };

/**
 * The targets, over the full nights. `value` reads the run's results (below); `max`/`min` is the bound. A value that
 * could not be computed (null) misses its target.
 */
const TARGETS = {
  motion: [
    { name: "TST median |error|", unit: "min", max: 15, value: (r) => r.medians.full.tst.median_abs_error_min },
    { name: "TST max |error|", unit: "min", max: 60, value: (r) => r.tstMaxFull.value },
    { name: "onset median |error|", unit: "min", max: 15, value: (r) => r.medians.full.onset.median_abs_error_min },
    { name: "wake time median |error|", unit: "min", max: 10, value: (r) => r.medians.full.wake.median_abs_error_min },
    { name: "sleep/wake median accuracy", min: 0.9, value: (r) => r.medians.full.sw.median_accuracy },
    { name: "pooled wake specificity", min: 0.55, value: (r) => r.specificity.full.pooled.specificity },
    { name: "wake/NREM/REM median accuracy", min: 0.72, value: (r) => r.medians.full.w3.median_accuracy },
    { name: "wake/NREM/REM median kappa", min: 0.4, value: (r) => r.medians.full.w3.median_kappa },
    { name: "deep median |error|", unit: "min", max: 25, value: (r) => r.medians.full.deep.median_abs_error_min },
    { name: "REM median |error|", unit: "min", max: 25, value: (r) => r.medians.full.rem.median_abs_error_min },
  ],
  none: [{ name: "TST median |error|", unit: "min", max: 30, value: (r) => r.medians.full.tst.median_abs_error_min }],
};

const USAGE = `usage: npm run validate:sleep -- [options]
  --data DIR            folder of nights (default ${DEV_SET})
  --motion MODE         ACTIVITY_COUNT (default), MOTION_GRAPH or none
  --motion-scale K      multiply the motion values by K first (default 1)
  --heart-every S       send heart rate at most once per S seconds (the first sample of each S-second slot)
  --json FILE           write { run, nights, medians, specificity, targets }
  --predictions FILE    keep the predictions given to score.mjs
  --plot [FILE]         Bland-Altman SVG of total sleep (default ${DEFAULT_PLOT})
  --concurrency N       nights uploaded at a time (default 4)
  --check               exit 1 when a target is not met`;

// --plot takes an optional value: without one, the default file.
const argv = process.argv.slice(2);
const plotAt = argv.indexOf("--plot");
if (plotAt >= 0 && (plotAt === argv.length - 1 || argv[plotAt + 1].startsWith("--"))) {
  argv.splice(plotAt + 1, 0, DEFAULT_PLOT);
}
let options;
try {
  options = parseArgs({
    args: argv,
    options: {
      data: { type: "string" },
      motion: { type: "string", default: "ACTIVITY_COUNT" },
      "motion-scale": { type: "string", default: "1" },
      "heart-every": { type: "string", default: "0" },
      json: { type: "string" },
      predictions: { type: "string" },
      plot: { type: "string" },
      concurrency: { type: "string", default: "4" },
      check: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (error) {
  console.error(`validate-sleep: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const motion = MOTION_MODES.find((m) => m.toLowerCase() === options.motion.toLowerCase());
const scale = Number(options["motion-scale"]);
const concurrency = Number(options.concurrency);
const heartEvery = Number(options["heart-every"]);
if (!motion || !(scale > 0) || !Number.isInteger(concurrency) || concurrency < 1 || !(heartEvery >= 0)) {
  console.error(`validate-sleep: bad --motion, --motion-scale, --heart-every or --concurrency\n${USAGE}`);
  process.exit(2);
}
// Paths as given are relative to where the command ran; the server needs the repository as working directory.
// (npm runs scripts in the package root and says in INIT_CWD where it was called from.)
const calledFrom = process.env.INIT_CWD ?? process.cwd();
const dataDir = options.data ? resolve(calledFrom, options.data) : DEV_SET;
const output = (file) => (file ? resolve(calledFrom, file) : null);
const jsonFile = output(options.json);
const predictionsFile = output(options.predictions);
const plotFile = options.plot === DEFAULT_PLOT ? resolve(ROOT, DEFAULT_PLOT) : output(options.plot);
const scorer = existsSync(join(dataDir, "score.mjs")) ? join(dataDir, "score.mjs") : join(DEV_SET, "score.mjs");
process.chdir(ROOT);

const started = performance.now();
const log = (message) => process.stderr.write(`validate-sleep: ${message}\n`);

// The server is stopped on every path. A signal during startup is acted on once startServer has returned.
let server = null;
let starting = false;
let interrupted = false;
const stopServer = () => {
  if (server) server.stop();
  server = null;
};
process.on("exit", stopServer);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    log(`interrupted (${signal})`);
    if (starting && !interrupted) {
      interrupted = true;
      return;
    }
    stopServer();
    process.exit(130);
  });
}

class Failure extends Error {}

let code = 0;
const work = mkdtempSync(join(tmpdir(), "nowatch-validate-sleep-"));
try {
  code = await main();
} catch (error) {
  console.error(`validate-sleep: FAILED: ${error instanceof Failure ? error.message : (error.stack ?? error)}`);
  if (server) console.error(`server log tail:\n${server.logs()}`);
  code = 1;
} finally {
  stopServer();
  rmSync(work, { recursive: true, force: true });
}
process.exit(code);

async function main() {
  const nights = listNights(dataDir);
  if (nights.length === 0) throw new Failure(`no nights (folders with labels.csv and heart_rate.csv) in ${dataDir}`);
  if (!existsSync(scorer)) throw new Failure(`no score.mjs in ${dataDir} nor in ${DEV_SET}`);
  const motionLabel =
    motion === "none"
      ? "none (heart rate only)"
      : `${motion}${motion === "ACTIVITY_COUNT" ? ` (feature × ${COUNT_FACTOR}, rounded)` : ""}${scale === 1 ? "" : `, scale × ${scale}`}${heartEvery ? `; heart rate once per ${heartEvery} s` : ""}`;
  log(`${nights.length} nights of ${dataDir}, motion ${motionLabel}; starting ${CONFIG} (NOWATCH_ENV=local)`);

  starting = true;
  server = await startServer(CONFIG);
  starting = false;
  if (interrupted) {
    stopServer();
    process.exit(130);
  }
  const serverUp = seconds();
  log(`server on ${server.base} after ${serverUp} s`);

  const results = await pool(nights, concurrency, (id) => runNight(id));
  const nightsSeconds = (Number(seconds()) - Number(serverUp)).toFixed(1);
  stopServer();

  const predictions = Object.fromEntries(results.map((n) => [n.id, n.prediction]));
  const predictionsPath = predictionsFile ?? join(work, "predictions.json");
  writeFileSync(predictionsPath, `${JSON.stringify(predictions, null, 1)}\n`);
  const scored = score(predictionsPath);

  const byId = new Map(scored.nights.map((row) => [row.subject, row]));
  const nightsOut = results.map((n) => {
    const row = byId.get(n.id) ?? null;
    const flags = row?.flags ?? [];
    return {
      subject: n.id,
      day: n.day,
      flags,
      full: row !== null && !flags.includes("short"),
      errors: row && {
        tst: row.tst,
        onset: row.onset,
        wake: row.wake,
        deep: row.deep,
        rem: row.rem,
        light: row.light,
      },
      sleepWake: row?.sw ?? null,
      threeClass: row?.w3 ?? null,
      hypnogramCoverage: row?.coverage ?? null,
      truth: row?.truth ?? null,
      epochs: n.epochs,
      enoughData: n.enoughData,
      metadata: n.metadata,
      reasons: n.reasons,
      notes: n.notes,
      uploads: n.uploads,
      prediction: { ...n.prediction, hypnogram: undefined },
    };
  });
  const scoredNights = nightsOut.filter((n) => n.errors);
  const full = scoredNights.filter((n) => n.full);
  const specificity = { all: agreement(scoredNights), full: agreement(full) };
  const tstFull = full.filter((n) => n.errors.tst !== null);
  const worst = tstFull.reduce((w, n) => (w && Math.abs(w.errors.tst) >= Math.abs(n.errors.tst) ? w : n), null);
  const missingTst = full.filter((n) => n.errors.tst === null).map((n) => n.subject);
  const tstMaxFull = {
    value: missingTst.length > 0 || !worst ? null : Math.abs(worst.errors.tst),
    largest: worst ? { subject: worst.subject, error: worst.errors.tst } : null,
    fullNightsWithoutTst: missingTst,
  };
  const medians = { all: scored.median_all, full: scored.median_full_nights, pooled: scored.pooled_epochs };
  const targets = (motion === "none" ? TARGETS.none : TARGETS.motion).map((t) => {
    const value = t.value({ medians, specificity, tstMaxFull });
    const met = value !== null && value !== undefined && (t.max !== undefined ? value <= t.max : value >= t.min);
    return { name: `${t.name}, full nights`, value: value ?? null, unit: t.unit ?? null, max: t.max, min: t.min, met };
  });

  printReport({ nightsOut, medians, specificity, tstMaxFull, targets, motionLabel, scored });

  const run = {
    data: dataDir,
    dataSet: basename(dataDir),
    scorer,
    config: CONFIG,
    motion,
    motionScale: scale,
    heartEverySeconds: heartEvery || null,
    activityCountFactor: motion === "ACTIVITY_COUNT" ? COUNT_FACTOR : null,
    elapsedSeconds: Number(seconds()),
  };
  if (jsonFile) {
    mkdirSync(dirname(jsonFile), { recursive: true });
    writeFileSync(
      jsonFile,
      `${JSON.stringify({ run, nights: nightsOut, medians, specificity: { ...specificity, tstMaxFull }, targets }, null, 1)}\n`,
    );
    log(`wrote ${jsonFile}`);
  }
  if (predictionsFile) log(`kept the predictions in ${predictionsFile}`);
  if (plotFile) {
    mkdirSync(dirname(plotFile), { recursive: true });
    writeFileSync(plotFile, blandAltmanSvg(scoredNights, basename(dataDir), motionLabel));
    log(`wrote ${plotFile}`);
  }
  const missed = targets.filter((t) => !t.met).length;
  console.log(
    `elapsed ${seconds()} s (server start ${serverUp} s; ${nights.length} nights uploaded and read, ${concurrency} at a time, ${nightsSeconds} s)`,
  );
  return options.check && missed > 0 ? 1 : 0;
}

/** The night folders of `dir`: those with labels.csv and heart_rate.csv (and the motion file when it is used). */
function listNights(dir) {
  if (!existsSync(dir)) throw new Failure(`no data folder ${dir}`);
  const needed = ["labels.csv", "heart_rate.csv", ...(motion === "none" ? [] : ["walch_count_feature_30s.csv"])];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && needed.every((file) => existsSync(join(dir, d.name, file))))
    .map((d) => d.name)
    .sort();
}

/** Runs `fn` over `items`, at most `limit` at a time; the results in the order of `items`. */
async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** heart_rate.csv as it is, or with one sample per `--heart-every` seconds (a watch that samples less often). */
function heartCsv(text) {
  if (!heartEvery) return text;
  const [header, ...rows] = text.trim().split("\n");
  let slot = Number.NEGATIVE_INFINITY;
  const kept = rows.filter((row) => {
    const t = Number(row.slice(0, row.indexOf(",")));
    if (Math.floor(t / heartEvery) === slot) return false;
    slot = Math.floor(t / heartEvery);
    return true;
  });
  return `${header}\n${kept.join("\n")}\n`;
}

/** One night: a new user, its uploads, its statistics, and the prediction read from them. */
async function runNight(id) {
  const dir = join(dataDir, id);
  const labels = readLabels(join(dir, "labels.csv"));
  if (labels.length === 0) throw new Failure(`${id}: labels.csv has no rows`);
  const day = nightDay(labels);
  const user = await newUser(server.base, "sleep", { verify: false });
  if (!user.access) throw new Failure(`${id}: could not register and sign in a user`);
  const notes = [];

  const uploads = {};
  uploads.HEART_RATE = await upload(
    id,
    user.access,
    "HEART_RATE",
    heartCsv(readFileSync(join(dir, "heart_rate.csv"), "utf8")),
  );
  if (motion !== "none") {
    const rows = readRows(join(dir, "walch_count_feature_30s.csv"));
    uploads[motion] = await upload(id, user.access, motion, motionCsv(rows));
  }
  for (const [type, u] of Object.entries(uploads)) {
    if (u.samplesAccepted !== u.rowsRead) notes.push(`${type}: ${u.samplesAccepted} of ${u.rowsRead} rows stored`);
  }

  const path = `/v1/statistics?type=SLEEP_DURATION,SLEEP_STAGES&start_day=${day}&end_day=${day}&time_zone=UTC`;
  const res = await fetchOnce(server.base + path, { headers: { authorization: `Bearer ${user.access}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Failure(`${id}: GET ${path} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  const docs = JSON.parse(text);
  const doc = (type) => {
    const found = Array.isArray(docs) ? docs.find((d) => d?.type === type) : undefined;
    if (!found || typeof found.data !== "object" || typeof found.enoughData !== "boolean" || !found.metadata) {
      throw new Failure(`${id}: GET ${path} has no ${type} document with type, data, enoughData, metadata`);
    }
    return found;
  };
  const duration = doc("SLEEP_DURATION");
  const stages = doc("SLEEP_STAGES");

  const prediction = {};
  const reasons = {};
  const take = (document, keys) => {
    if (!document.enoughData) {
      reasons[document.type] = document.metadata.reason ?? "(no reason given)";
      return;
    }
    for (const key of keys) {
      const value = document.data?.[key];
      if (value === null || value === undefined) notes.push(`${document.type}.${key} is null with enough data`);
      else prediction[key] = value;
    }
  };
  take(duration, ["totalSleepMinutes", "sleepOnset", "wakeTime"]);
  take(stages, ["deepMinutes", "remMinutes", "lightMinutes"]);
  let epochs = null;
  const hypnogram = stages.enoughData ? stages.data.hypnogram : null;
  if (stages.enoughData && (typeof hypnogram?.stages !== "string" || !hypnogram.start)) {
    notes.push("SLEEP_STAGES has enough data but no hypnogram");
  } else if (hypnogram) {
    const letters = [...hypnogram.stages];
    const unknown = new Set(letters.filter((l) => !STAGE_NAMES[l]));
    if (unknown.size > 0) notes.push(`hypnogram letters other than W/L/D/R: ${[...unknown].join("")}`);
    if (hypnogram.epochSeconds !== undefined && hypnogram.epochSeconds !== 30) {
      notes.push(`hypnogram.epochSeconds is ${hypnogram.epochSeconds}, read as 30`);
    }
    prediction.hypnogram = letters.map((l) => STAGE_NAMES[l] ?? null);
    prediction.hypnogramStart = hypnogram.start;
    epochs = epochCounts(labels, letters, Date.parse(hypnogram.start) / 1000);
  }
  log(
    `${id} (${day}): ${uploads.HEART_RATE.samplesAccepted} heart rate${motion === "none" ? "" : `, ${uploads[motion].samplesAccepted} ${motion}`} samples; ` +
      `duration ${duration.enoughData ? "ok" : "not enough"}, stages ${stages.enoughData ? "ok" : "not enough"}`,
  );
  return {
    id,
    day,
    prediction,
    epochs,
    enoughData: { SLEEP_DURATION: duration.enoughData, SLEEP_STAGES: stages.enoughData },
    metadata: { SLEEP_DURATION: duration.metadata, SLEEP_STAGES: stages.metadata },
    reasons,
    notes,
    uploads,
  };
}

/** The upload CSV of the motion feature rows (`datetime,value,quality_indicator`) for the chosen type. */
function motionCsv(rows) {
  if (motion === "ACTIVITY_COUNT") {
    const body = rows.map(([t, v, q]) => `${t},${Math.round(Number(v) * scale * COUNT_FACTOR)},${q ?? 4}`);
    return `datetime,value,quality_indicator\n${body.join("\n")}\n`;
  }
  const body = rows.map(([t, v]) => `${t},${scale === 1 ? v : String(Number(v) * scale)}`);
  return `datetime,value\n${body.join("\n")}\n`;
}

/** POST /v1/measurement/upload of one CSV; the upload summary, or a Failure naming the night and the answer. */
async function upload(id, token, type, csv) {
  const form = new FormData();
  form.append("type", type);
  form.append("file", new Blob([csv], { type: "text/csv" }), `${id}-${type.toLowerCase()}.csv`);
  const res = await fetchOnce(`${server.base}/v1/measurement/upload`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await res.text();
  if (res.status !== 201)
    throw new Failure(`${id}: upload of ${type} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** The data set's scorer on the predictions file, as JSON. */
function score(predictionsPath) {
  const run = spawnSync(process.execPath, [scorer, predictionsPath, "--truth", dataDir, "--json"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Failure(`${scorer} exited ${run.status}: ${run.stderr.slice(0, 1000)}`);
  return JSON.parse(run.stdout);
}

function seconds() {
  return ((performance.now() - started) / 1000).toFixed(1);
}

/** A number for the table: fixed decimals, a sign when asked, "-" when missing, padded to `width`. */
function fmt(x, width = 7, digits = 1, sign = false) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "-".padStart(width);
  return `${sign && x > 0 ? "+" : ""}${x.toFixed(digits)}`.padStart(width);
}

function printReport({ nightsOut, medians, specificity, tstMaxFull, targets, motionLabel, scored }) {
  const flagLetters = (flags) =>
    (flags.includes("short") ? "S" : "") +
    (flags.includes("ends_in_sleep") ? "E" : "") +
    (flags.includes("holes") ? "H" : "");
  console.log(
    `sleep statistics against PSG: ${nightsOut.length} nights of ${basename(dataDir)}, motion ${motionLabel}`,
  );
  console.log(`  through ${CONFIG} (NOWATCH_ENV=local); scored by ${scorer}`);
  console.log(
    "errors = API - PSG, minutes. SW = sleep/wake, 3c = wake/NREM/REM. spec = wake specificity, sens = sleep",
  );
  console.log("sensitivity (hypnogram vs labels.csv). flags: S short night, E ends in sleep (wake censored), H holes");
  console.log(
    "subject  flags day           TST   onset    wake    deep     REM   light | SW acc | 3c acc  kappa |  spec   sens",
  );
  for (const n of nightsOut) {
    const e = n.errors ?? {};
    const ratio = (a, b) => (n.epochs && n.epochs[b] > 0 ? n.epochs[a] / n.epochs[b] : null);
    console.log(
      `${n.subject.padEnd(8)} ${flagLetters(n.flags).padEnd(5)} ${n.day} ` +
        `${["tst", "onset", "wake", "deep", "rem", "light"].map((k) => fmt(e[k], 7, 1, true)).join(" ")} | ` +
        `${fmt(n.sleepWake?.accuracy, 6, 3)} | ${fmt(n.threeClass?.accuracy, 6, 3)} ${fmt(n.threeClass?.kappa, 6, 3)} | ` +
        `${fmt(ratio("wakeAsWake", "wake"), 5, 2)} ${fmt(ratio("sleepAsSleep", "sleep"), 6, 2)}`,
    );
    for (const [type, reason] of Object.entries(n.reasons)) console.log(`         ${type} not enough data: ${reason}`);
    for (const note of n.notes) console.log(`         note: ${note}`);
  }
  if (scored.subjects_without_prediction?.length) {
    console.log(`no truth.json or no prediction for: ${scored.subjects_without_prediction.join(", ")}`);
  }
  for (const [name, s] of [
    ["all nights", medians.all],
    ["full nights", medians.full],
  ]) {
    const part = (k, label) =>
      s[k].n ? `${label} ${fmt(s[k].median_error_min, 0, 1, true)}/${fmt(s[k].median_abs_error_min, 0)}` : `${label} -`;
    console.log(
      `median, ${name} (n=${s.nights}), signed/|error| min: ` +
        `${[part("tst", "TST"), part("onset", "onset"), part("wake", "wake"), part("deep", "deep"), part("rem", "REM"), part("light", "light")].join(", ")}; ` +
        `SW acc ${fmt(s.sw.median_accuracy, 0, 3)} kappa ${fmt(s.sw.median_kappa, 0, 3)} (n=${s.sw.n}); ` +
        `3c acc ${fmt(s.w3.median_accuracy, 0, 3)} kappa ${fmt(s.w3.median_kappa, 0, 3)} (n=${s.w3.n})`,
    );
  }
  const p = medians.pooled;
  console.log(
    `pooled epochs (scorer): SW acc ${fmt(p.sw?.accuracy, 0, 3)} kappa ${fmt(p.sw?.kappa, 0, 3)} (n=${p.sw?.epochs ?? 0}); ` +
      `3c acc ${fmt(p.w3?.accuracy, 0, 3)} kappa ${fmt(p.w3?.kappa, 0, 3)} (n=${p.w3?.epochs ?? 0})`,
  );
  for (const [name, s] of [
    ["all nights", specificity.all],
    ["full nights", specificity.full],
  ]) {
    console.log(
      `wake specificity / sleep sensitivity, ${name} (n=${s.nights}): pooled ${fmt(s.pooled.specificity, 0, 3)} / ` +
        `${fmt(s.pooled.sensitivity, 0, 3)} (${s.pooled.wakeEpochs} wake, ${s.pooled.sleepEpochs} sleep epochs), ` +
        `median per night ${fmt(s.medianPerNight.specificity, 0, 3)} / ${fmt(s.medianPerNight.sensitivity, 0, 3)}` +
        `${s.withoutHypnogram.length ? `; no hypnogram: ${s.withoutHypnogram.join(", ")}` : ""}`,
    );
  }
  const w = tstMaxFull.largest;
  console.log(
    `max |TST error|, full nights: ${w ? `${fmt(Math.abs(w.error), 0)} min (${w.subject})` : "-"}` +
      `${tstMaxFull.fullNightsWithoutTst.length ? `; full nights without TST: ${tstMaxFull.fullNightsWithoutTst.join(", ")}` : ""}`,
  );
  const met = targets.filter((t) => t.met).length;
  console.log(`targets (full nights): ${met} of ${targets.length} met`);
  for (const t of targets) {
    const digits = t.unit ? 1 : 3;
    const bound = t.max !== undefined ? `<= ${t.max}` : `>= ${t.min}`;
    console.log(
      `  ${t.met ? "met    " : "NOT MET"} ${t.name}: ${fmt(t.value, 0, digits)}${t.unit ? ` ${t.unit}` : ""} (${bound}${t.unit ? ` ${t.unit}` : ""})`,
    );
  }
}

/**
 * A Bland-Altman plot of total sleep as a self-contained SVG (800 x 560): x the mean of API and PSG total sleep, y
 * their difference (API - PSG); full nights filled, short nights open, each labelled with its subject; the mean
 * difference and the 95 % limits of agreement (mean +- 1.96 SD, over all plotted nights), labelled right of the frame.
 */
function blandAltmanSvg(nights, dataSet, motionLabel) {
  const W = 800;
  const H = 560;
  const box = { left: 80, right: 672, top: 78, bottom: 462 };
  const blue = "#1f4e9c";
  const red = "#b3261e";
  const points = nights
    .filter((n) => n.errors.tst !== null && n.truth)
    .map((n) => {
      const psg = n.truth.tst;
      const api = psg + n.errors.tst;
      return { subject: n.subject, full: n.full, x: (api + psg) / 2, y: api - psg };
    });
  const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const title = `Total sleep, NOWATCH API vs polysomnography: ${dataSet}`;
  const inputs = motion === "none" ? "heart rate only" : `heart rate + motion ${motionLabel}`;
  const full = points.filter((p) => p.full).length;
  const subtitle = `Bland-Altman, ${points.length} nights (${full} full, ${points.length - full} short) of ${nights.length}; ${inputs}`;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="30" text-anchor="middle" font-size="18" font-weight="bold" fill="#111">${esc(title)}</text>`,
    `<text x="${W / 2}" y="53" text-anchor="middle" font-size="12.5" fill="#444">${esc(subtitle)}</text>`,
  ];
  if (points.length === 0) {
    out.push(
      `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" font-size="16" fill="#444">no night with a total sleep</text>`,
    );
    return `${out.join("\n")}\n</svg>\n`;
  }
  const ys = points.map((p) => p.y);
  const mean = ys.reduce((s, y) => s + y, 0) / ys.length;
  const sd = ys.length > 1 ? Math.sqrt(ys.reduce((s, y) => s + (y - mean) ** 2, 0) / (ys.length - 1)) : null;
  const lines = [{ y: mean, name: "mean", color: blue, dash: "" }];
  if (sd !== null) {
    lines.push({ y: mean + 1.96 * sd, name: "+1.96 SD", color: red, dash: "7 5" });
    lines.push({ y: mean - 1.96 * sd, name: "\u22121.96 SD", color: red, dash: "7 5" });
  }
  const xs = points.map((p) => p.x);
  const levels = [0, ...ys, ...lines.map((l) => l.y)];
  const xPad = 0.04 * (Math.max(...xs) - Math.min(...xs) || 20);
  const yPad = 0.06 * (Math.max(...levels) - Math.min(...levels) || 20);
  const xTicks = niceTicks(Math.min(...xs) - xPad, Math.max(...xs) + xPad, 7);
  const yTicks = niceTicks(Math.min(...levels) - yPad, Math.max(...levels) + yPad, 7);
  const [x0, x1] = [xTicks[0], xTicks.at(-1)];
  const [y0, y1] = [yTicks[0], yTicks.at(-1)];
  const px = (x) => box.left + ((x - x0) / (x1 - x0 || 1)) * (box.right - box.left);
  const py = (y) => box.bottom - ((y - y0) / (y1 - y0 || 1)) * (box.bottom - box.top);
  const r = (v) => Math.round(v * 10) / 10;

  // Grid, zero line, frame, ticks and axis titles.
  out.push(`<g stroke="#e6e6e6" stroke-width="1">`);
  for (const t of xTicks) out.push(`<line x1="${r(px(t))}" y1="${box.top}" x2="${r(px(t))}" y2="${box.bottom}"/>`);
  for (const t of yTicks) out.push(`<line x1="${box.left}" y1="${r(py(t))}" x2="${box.right}" y2="${r(py(t))}"/>`);
  out.push("</g>");
  out.push(
    `<line x1="${box.left}" y1="${r(py(0))}" x2="${box.right}" y2="${r(py(0))}" stroke="#999" stroke-width="1"/>`,
  );
  out.push(
    `<rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}" fill="none" stroke="#333" stroke-width="1"/>`,
  );
  out.push(`<g font-size="12" fill="#333">`);
  for (const t of xTicks) {
    out.push(`<line x1="${r(px(t))}" y1="${box.bottom}" x2="${r(px(t))}" y2="${box.bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${r(px(t))}" y="${box.bottom + 19}" text-anchor="middle">${t}</text>`);
  }
  for (const t of yTicks) {
    out.push(`<line x1="${box.left - 5}" y1="${r(py(t))}" x2="${box.left}" y2="${r(py(t))}" stroke="#333"/>`);
    out.push(`<text x="${box.left - 8}" y="${r(py(t) + 4)}" text-anchor="end">${signed(t, 0)}</text>`);
  }
  out.push("</g>");
  out.push(
    `<text x="${(box.left + box.right) / 2}" y="${box.bottom + 42}" text-anchor="middle" font-size="14" fill="#111">Mean of API and PSG total sleep (min)</text>`,
  );
  const midY = (box.top + box.bottom) / 2;
  out.push(
    `<text x="22" y="${midY}" text-anchor="middle" font-size="14" fill="#111" transform="rotate(-90 22 ${midY})">API \u2212 PSG total sleep (min)</text>`,
  );

  // Mean and limits of agreement, their values right of the frame (moved apart when close).
  let lastLabel = Number.NEGATIVE_INFINITY;
  for (const l of [...lines].sort((a, b) => b.y - a.y)) {
    const y = py(l.y);
    out.push(
      `<line x1="${box.left}" y1="${r(y)}" x2="${box.right}" y2="${r(y)}" stroke="${l.color}" stroke-width="1.6"${l.dash ? ` stroke-dasharray="${l.dash}"` : ""}/>`,
    );
    const ly = Math.max(y, lastLabel + 30);
    lastLabel = ly;
    out.push(
      `<text x="${box.right + 8}" y="${r(ly - 3)}" font-size="12" fill="${l.color}">${esc(l.name)}</text>`,
      `<text x="${box.right + 8}" y="${r(ly + 12)}" font-size="12" font-weight="bold" fill="${l.color}">${signed(l.y)} min</text>`,
    );
  }

  // Points, then their labels where they overlap no other label and no point.
  const placed = [];
  const circles = points.map((p) => ({ x: px(p.x), y: py(p.y) }));
  const overlaps = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  for (const [i, p] of points.entries()) {
    const { x, y } = circles[i];
    out.push(
      `<circle cx="${r(x)}" cy="${r(y)}" r="5" fill="${p.full ? blue : "#ffffff"}" stroke="${blue}" stroke-width="1.8"/>`,
    );
  }
  for (const [i, p] of points.entries()) {
    const { x, y } = circles[i];
    const width = 6.2 * p.subject.length;
    const candidates = [
      [x + 7, y - 5, "start"],
      [x + 7, y + 13, "start"],
      [x - 7, y - 5, "end"],
      [x - 7, y + 13, "end"],
      [x + 8, y + 4, "start"],
      [x - 8, y + 4, "end"],
    ].map(([tx, ty, anchor]) => {
      const x0 = anchor === "start" ? tx : tx - width;
      const rect = { x0, x1: x0 + width, y0: ty - 9, y1: ty + 1 };
      const inside = rect.x0 >= box.left && rect.x1 <= box.right && rect.y0 >= box.top && rect.y1 <= box.bottom;
      const hits =
        placed.filter((q) => overlaps(rect, q)).length +
        circles.filter((c) => overlaps(rect, { x0: c.x - 5, x1: c.x + 5, y0: c.y - 5, y1: c.y + 5 })).length +
        (inside ? 0 : 2);
      return { tx, ty, anchor, rect, hits };
    });
    const best = candidates.reduce((a, b) => (b.hits < a.hits ? b : a));
    placed.push(best.rect);
    out.push(
      `<text x="${r(best.tx)}" y="${r(best.ty)}" text-anchor="${best.anchor}" font-size="10" fill="#555" paint-order="stroke" stroke="#ffffff" stroke-width="2.5">${esc(p.subject)}</text>`,
    );
  }

  // Legend, one row under the axis title.
  const ly = H - 18;
  out.push(
    `<g font-size="12" fill="#333">`,
    `<circle cx="150" cy="${ly - 4}" r="5" fill="${blue}" stroke="${blue}" stroke-width="1.8"/>`,
    `<text x="160" y="${ly}">full night (\u2265 6 h)</text>`,
    `<circle cx="290" cy="${ly - 4}" r="5" fill="#ffffff" stroke="${blue}" stroke-width="1.8"/>`,
    `<text x="300" y="${ly}">short night (&lt; 6 h)</text>`,
    `<line x1="430" y1="${ly - 4}" x2="458" y2="${ly - 4}" stroke="${blue}" stroke-width="1.6"/>`,
    `<text x="464" y="${ly}">mean difference</text>`,
    `<line x1="572" y1="${ly - 4}" x2="600" y2="${ly - 4}" stroke="${red}" stroke-width="1.6" stroke-dasharray="7 5"/>`,
    `<text x="606" y="${ly}">mean \u00b1 1.96 SD</text>`,
    "</g>",
  );
  return `${out.join("\n")}\n</svg>\n`;
}

/** A signed number with a true minus sign (U+2212), as typeset. */
function signed(x, digits = 1) {
  const text = Math.abs(x).toFixed(digits);
  return `${x > 0 ? "+" : x < 0 && Number(text) !== 0 ? "\u2212" : ""}${text}`;
}

/** Round tick values (1, 2, 5 x 10^k apart) covering [min, max], about `count` of them. */
function niceTicks(min, max, count) {
  const span = max - min || Math.abs(max) || 10;
  const raw = span / (count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const first = Math.floor(min / step) * step;
  const ticks = [];
  for (let t = first; t <= max + step * 1e-9 || ticks.length < 2; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  if (ticks.at(-1) < max) ticks.push(ticks.at(-1) + step);
  return ticks;
}
