/**
 * `npm run fit:sleep`: fits the sleep models (src/statistics/sleep/model.ts) on PSG-scored nights and reports how
 * they do on nights they were not fitted on.
 *
 * 1. Leave one night out: for every night, every model is fitted on the other nights only, and that night is then
 *    scored through the same pure code the API runs (findNight, SLEEP_DURATION, SLEEP_STAGES). These are the figures
 *    to quote: no night is scored by a model that saw it. Heart rate alone is scored the same way, with the motion
 *    left out of the night.
 * 2. With `--write`, the models are fitted once more on all nights and written to
 *    src/statistics/sleep/model-coefficients.ts (the numbers the API uses).
 *
 * Options: `--data DIR` (default ../shared/data/sleep-accel-dev), `--write`, `--check` (exit 1 unless the committed
 * coefficients are exactly what a fit gives: CI runs it), `--json FILE` (the leave-one-out summary), `--quiet`
 * (medians only), `--show SUBJECT` (that night's left-out hypnogram under its PSG one).
 *
 * Data: PhysioNet sleep-accel (Walch O. Motion and heart rate from a wrist-worn wearable and labeled sleep from
 * polysomnography, version 1.0.0, PhysioNet, doi:10.13026/hmhs-py35; Walch et al., Sleep 2019;42(12):zsz180;
 * Goldberger et al., Circulation 2000;101(23):e215-e220), ODC-By 1.0.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sleepDuration } from "../src/statistics/sleep/duration";
import { epochFeatures, type Feature, HEART_FEATURES } from "../src/statistics/sleep/features";
import {
  columnsOf,
  type LogisticModel,
  probability,
  ROW,
  type SleepModel,
  STAGE_EXTRA,
  STAGE_ROW,
  type StageInput,
} from "../src/statistics/sleep/model";
import { SLEEP_MODEL } from "../src/statistics/sleep/model-coefficients";
import { findNight } from "../src/statistics/sleep/night";
import { SLEEP } from "../src/statistics/sleep/shared";
import { sleepStages } from "../src/statistics/sleep/stages";
import { stageRows } from "../src/statistics/sleep/staging";
import { agreement, type EpochCounts, epochCounts, median, scoredSleepMinutes } from "./sleep-dataset.ts";
import { type DatasetNight, type LoadOptions, loadNight, subjectsIn } from "./sleep-nights";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const dataDir = resolve(option("--data") ?? join(root, "..", "shared", "data", "sleep-accel-dev"));
const scorer = existsSync(join(dataDir, "score.mjs"))
  ? join(dataDir, "score.mjs")
  : join(root, "..", "shared", "data", "sleep-accel-dev", "score.mjs");

/** Stage shares are kept per hour since onset up to this many hours (the last for all later ones). */
const SHARE_HOURS = 7;
/** Ridge penalty of every logistic fit (on standardized inputs). */
const RIDGE = 20;
/**
 * Sleep thresholds maximise the training epochs scored right, a wake epoch counting this many times a sleep one. With
 * motion, 2.5: wake is a tenth of the epochs, and without the weight the threshold would give it up. With heart rate
 * alone, 1: that model tells quiet wake from sleep barely better than chance, and weighting wake only turned sleep
 * into wake at random (left-out nights: total sleep 41 min off in the median at 2.5, 27 at 1).
 */
const WAKE_WEIGHT = { both: 2.5, motion: 2.5, heart: 1 } as const;

// ---------------------------------------------------------------------------------------------------- fitting

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] as number) > Math.abs(m[pivot]?.[c] as number)) pivot = r;
    [m[c], m[pivot]] = [m[pivot] as number[], m[c] as number[]];
    const row = m[c] as number[];
    for (let r = c + 1; r < n; r++) {
      const other = m[r] as number[];
      const f = (other[c] as number) / (row[c] as number);
      for (let k = c; k <= n; k++) other[k] = (other[k] as number) - f * (row[k] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[n] as number;
    for (let k = r + 1; k < n; k++) s -= (row[k] as number) * (x[k] as number);
    x[r] = s / (row[r] as number);
  }
  return x;
}

/** Rows of inputs (NaN = missing) and 0/1 targets. */
interface Samples {
  x: number[][];
  y: number[];
}

/** Logistic regression by Newton's method with a ridge penalty, on inputs standardized by their mean and SD. */
function fitLogistic(inputs: readonly StageInput[], samples: Samples): LogisticModel {
  const d = inputs.length;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(1);
  for (let k = 0; k < d; k++) {
    const v = samples.x.map((r) => r[k] as number).filter((x) => !Number.isNaN(x));
    const m = v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, v.length));
    mean[k] = m;
    scale[k] = sd > 1e-9 ? sd : 1;
  }
  const z = samples.x.map((r) => [
    1,
    ...r.map((v, k) => (Number.isNaN(v) ? 0 : (v - (mean[k] as number)) / (scale[k] as number))),
  ]);
  const w = new Array<number>(d + 1).fill(0);
  for (let iteration = 0; iteration < 30; iteration++) {
    const h = Array.from({ length: d + 1 }, (_, i) =>
      Array.from({ length: d + 1 }, (_, j) => (i === j && i > 0 ? RIDGE : 0)),
    );
    const g = w.map((v, i) => (i > 0 ? -RIDGE * v : 0));
    for (let r = 0; r < z.length; r++) {
      const row = z[r] as number[];
      let s = 0;
      for (let k = 0; k <= d; k++) s += (w[k] as number) * (row[k] as number);
      const p = 1 / (1 + Math.exp(-s));
      const q = p * (1 - p);
      const e = (samples.y[r] as number) - p;
      for (let i = 0; i <= d; i++) {
        const ri = row[i] as number;
        g[i] = (g[i] as number) + e * ri;
        const hi = h[i] as number[];
        for (let j = i; j <= d; j++) hi[j] = (hi[j] as number) + q * ri * (row[j] as number);
      }
    }
    for (let i = 0; i <= d; i++) for (let j = 0; j < i; j++) (h[i] as number[])[j] = (h[j] as number[])[i] as number;
    const step = solve(h, g);
    let change = 0;
    for (let k = 0; k <= d; k++) {
      w[k] = (w[k] as number) + (step[k] as number);
      change = Math.max(change, Math.abs(step[k] as number));
    }
    if (change < 1e-6) break;
  }
  return { inputs, mean, scale, weights: w.slice(1), bias: w[0] as number };
}

// ---------------------------------------------------------------------------------------------------- the models

/**
 * The sleep/wake inputs: six of motion (the epoch, 5 and 20 min around it, the 10 min before and after, the 30 min
 * before) and six of heart rate (its level over 10 min, its z-score and spread over 5 min in the night's own units,
 * its distance from its own 60-min median, its successive changes, its spread). All 25 features together fitted the
 * training nights better and the left-out nights worse (worst night off by 73.5 min against 61.5, heart rate alone
 * 62.5 min median against 41.3): a dozen correlated windows let the weights chase one night's quirks.
 */
const SLEEP_MOTION: Feature[] = ["motion", "motion5m", "motion20m", "motionPast10m", "motionNext10m", "motionPast30m"];
const SLEEP_HEART: Feature[] = [
  "heartRate10m",
  "heartRateZ5m",
  "heartRateSpreadZ5m",
  "heartRateDriftZ",
  "heartRateChange5m",
  "heartRateSpread5m",
];
const SLEEP_INPUTS = {
  both: [...SLEEP_MOTION, ...SLEEP_HEART],
  motion: SLEEP_MOTION,
  heart: SLEEP_HEART,
} as const;
const STAGE_INPUTS: StageInput[] = [...HEART_FEATURES, "motion5m", "motion20m", ...STAGE_EXTRA];

/** A model whose stages are all light: what the sleep/wake pass needs before the stage models exist. */
const flat = (inputs: readonly StageInput[]): LogisticModel => ({
  inputs,
  mean: inputs.map(() => 0),
  scale: inputs.map(() => 1),
  weights: inputs.map(() => 0),
  bias: -10,
});

/** The threshold on the sleep probability: the one that gets most training epochs right, wake counted twice. */
function bestThreshold(p: number[], y: number[], wakeWeight: number): number {
  let best = 0.5;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let t = 0.3; t <= 0.95; t += 0.01) {
    let score = 0;
    for (let i = 0; i < p.length; i++) {
      const sleep = (p[i] as number) >= t;
      if (y[i] === 1) score += sleep ? 1 : 0;
      else score += sleep ? 0 : wakeWeight;
    }
    if (score > bestScore) {
      bestScore = score;
      best = t;
    }
  }
  return Math.round(best * 100) / 100;
}

function fitModel(nights: DatasetNight[]): SleepModel {
  // The features do not depend on any model: computed once per night here.
  const scored = nights.map((night) => ({ night, features: epochFeatures(night.table) }));
  const sets = { both: { x: [], y: [] }, motion: { x: [], y: [] }, heart: { x: [], y: [] } } as Record<
    keyof typeof SLEEP_INPUTS,
    Samples
  >;
  for (const { night, features: f } of scored) {
    for (let i = 0; i < night.table.length; i++) {
      const label = night.labels[i] as number;
      if (label < 0) continue;
      const target = label > 0 ? 1 : 0;
      for (const which of ["both", "motion", "heart"] as const) {
        if (which !== "heart" && !f.hasMotion[i]) continue;
        if (which !== "motion" && !f.hasHeart[i]) continue;
        const cols = columnsOf({ inputs: SLEEP_INPUTS[which] });
        sets[which].x.push(Array.from(cols, (c) => f.values[i * ROW + c] as number));
        sets[which].y.push(target);
      }
    }
  }
  const sleep = {
    both: fitLogistic(SLEEP_INPUTS.both, sets.both),
    motion: fitLogistic(SLEEP_INPUTS.motion, sets.motion),
    heart: fitLogistic(SLEEP_INPUTS.heart, sets.heart),
  };
  const threshold = { both: 0.5, motion: 0.5, heart: 0.5 };
  for (const which of ["both", "motion", "heart"] as const) {
    const model = sleep[which];
    const cols = Int32Array.from(model.inputs.map((_, k) => k));
    const p = sets[which].x.map((row) => probability(model, cols, row, 0));
    threshold[which] = bestThreshold(p, sets[which].y, WAKE_WEIGHT[which]);
  }
  // The stage models learn from the epochs the fitted sleep/wake pass calls sleep, placed in the period it finds.
  const draft: SleepModel = {
    sleep,
    threshold,
    rem: flat(STAGE_INPUTS),
    deep: flat(STAGE_INPUTS),
    stageShare: { rem: [0], deep: [0] },
  };
  const rem: Samples = { x: [], y: [] };
  const deep: Samples = { x: [], y: [] };
  const cols = columnsOf({ inputs: STAGE_INPUTS });
  const hours = {
    sleep: new Array<number>(SHARE_HOURS).fill(0),
    rem: new Array<number>(SHARE_HOURS).fill(0),
    deep: new Array<number>(SHARE_HOURS).fill(0),
  };
  for (const { night } of scored) {
    const found = findNight(night.table, night.window, draft);
    if (!found.night) continue;
    const n = found.night;
    const from = Math.round((n.inBedStart - night.table.start) / 30);
    const to = Math.round((n.inBedEnd - night.table.start) / 30);
    const onset = Math.round((n.onset - night.table.start) / 30);
    const end = Math.round((n.wake - night.table.start) / 30);
    const { scores } = n;
    const rows = stageRows(scores, n.sleepWake, { from, to, onset, end });
    for (let i = from; i < to; i++) {
      const label = night.labels[i] as number;
      if (label <= 0 || n.sleepWake[i] !== SLEEP || !scores.features.hasHeart[i]) continue;
      const x = Array.from(cols, (c) => rows[(i - from) * STAGE_ROW + c] as number);
      const hour = Math.min(SHARE_HOURS - 1, Math.max(0, Math.floor((i - onset) / 120)));
      hours.sleep[hour] = (hours.sleep[hour] as number) + 1;
      if (label === 5) hours.rem[hour] = (hours.rem[hour] as number) + 1;
      if (label === 3 || label === 4) hours.deep[hour] = (hours.deep[hour] as number) + 1;
      rem.x.push(x);
      rem.y.push(label === 5 ? 1 : 0);
      if (label !== 5) {
        deep.x.push(x);
        deep.y.push(label >= 3 ? 1 : 0);
      }
    }
  }
  const remModel = fitLogistic(STAGE_INPUTS, rem);
  const deepModel = fitLogistic(STAGE_INPUTS, deep);
  return {
    sleep,
    threshold,
    rem: remModel,
    deep: deepModel,
    stageShare: {
      rem: hours.rem.map((r, h) => Math.round((r / Math.max(1, hours.sleep[h] as number)) * 1000) / 1000),
      deep: hours.deep.map((d, h) => Math.round((d / Math.max(1, hours.sleep[h] as number)) * 1000) / 1000),
    },
  };
}

// ---------------------------------------------------------------------------------------------------- scoring

const WORDS: Record<string, string> = { W: "wake", L: "light", D: "deep", R: "rem" };

/** What score.mjs reads for one night, from the statistics as the API reports them, and its hypnogram's counts. */
function predict(
  night: DatasetNight,
  model: SleepModel,
): { prediction: Record<string, unknown>; epochs: EpochCounts | null; hypnogram: string } {
  const result = findNight(night.table, night.window, model);
  const duration = sleepDuration(result);
  const stages = sleepStages(result);
  const prediction: Record<string, unknown> = {};
  if (duration.enoughData) {
    prediction.totalSleepMinutes = duration.data.totalSleepMinutes;
    prediction.sleepOnset = duration.data.sleepOnset;
    prediction.wakeTime = duration.data.wakeTime;
  }
  if (!stages.enoughData) return { prediction, epochs: null, hypnogram: "" };
  const h = stages.data.hypnogram as { start: string; stages: string };
  prediction.deepMinutes = stages.data.deepMinutes;
  prediction.remMinutes = stages.data.remMinutes;
  prediction.lightMinutes = stages.data.lightMinutes;
  prediction.hypnogram = [...h.stages].map((c) => WORDS[c]);
  prediction.hypnogramStart = h.start;
  return {
    prediction,
    epochs: epochCounts(night.labelRows, h.stages, Date.parse(h.start) / 1000),
    hypnogram: h.stages,
  };
}

type Predicted = Record<string, ReturnType<typeof predict>>;

/**
 * Wake specificity and sleep sensitivity as validate:sleep counts them (nights without a hypnogram left out), over all
 * nights and over the full ones; and the full nights' total sleep over the PSG-scored epochs only (holes left out).
 */
function hypnogramAgreement(nights: DatasetNight[], predicted: Predicted) {
  const full = nights.filter((n) => !n.truth.flags.some((x) => x.startsWith("short")));
  const of = (list: DatasetNight[]) =>
    agreement(list.map((n) => ({ subject: n.subject, epochs: predicted[n.subject]?.epochs })));
  const scoredTst = full.map((n) => {
    const epochs = predicted[n.subject]?.epochs;
    return epochs ? Math.abs(scoredSleepMinutes(epochs) - n.truth.total_sleep_time_min) : null;
  });
  return { all: of(nights), full: of(full), scoredTst: median(scoredTst) };
}

interface Score {
  // biome-ignore lint/suspicious/noExplicitAny: score.mjs's JSON
  [key: string]: any;
}

function score(nights: DatasetNight[], predicted: Predicted): Score {
  const dir = mkdtempSync(join(tmpdir(), "nowatch-sleep-fit-"));
  const file = join(dir, "predictions.json");
  writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(predicted).map(([s, p]) => [s, p.prediction]))));
  const result = JSON.parse(
    execFileSync(process.execPath, [scorer, file, "--truth", dataDir, "--json"], { encoding: "utf8" }),
  );
  return { ...result, agreement: hypnogramAgreement(nights, predicted) };
}

const f = (x: number | null | undefined, width = 6, digits = 1) =>
  x === null || x === undefined || Number.isNaN(x) ? "-".padStart(width) : x.toFixed(digits).padStart(width);

function report(title: string, s: Score, perNight: boolean): void {
  console.log(`\n${title}`);
  if (perNight) {
    console.log("subject  flags   TST  onset   wake   deep    REM  light | SW acc | 3c acc  kappa");
    for (const r of s.nights) {
      const flags = `${r.flags.includes("short") ? "S" : ""}${r.flags.includes("ends_in_sleep") ? "E" : ""}${r.flags.includes("holes") ? "H" : ""}`;
      console.log(
        `${r.subject.padEnd(8)} ${flags.padEnd(4)} ${["tst", "onset", "wake", "deep", "rem", "light"].map((k) => f(r[k])).join(" ")} | ${f(r.sw?.accuracy, 6, 3)} | ${f(r.w3?.accuracy, 6, 3)} ${f(r.w3?.kappa, 6, 3)}`,
      );
    }
  }
  for (const [name, m, keep] of [
    ["all", s.median_all, () => true],
    ["full", s.median_full_nights, (r: Score) => !r.flags.includes("short")],
  ] as const) {
    const worst = Math.max(...s.nights.filter(keep).map((r: Score) => Math.abs(r.tst ?? 0)));
    console.log(
      `  ${name.padEnd(4)} n=${String(m.nights).padStart(2)} |TST| ${f(m.tst.median_abs_error_min)} (signed ${f(m.tst.median_error_min)}, worst ${f(worst)})` +
        ` |onset| ${f(m.onset.median_abs_error_min)} |wake| ${f(m.wake.median_abs_error_min)} |deep| ${f(m.deep.median_abs_error_min)} |REM| ${f(m.rem.median_abs_error_min)}` +
        ` SW acc ${f(m.sw.median_accuracy, 5, 3)} 3c acc ${f(m.w3.median_accuracy, 5, 3)} κ ${f(m.w3.median_kappa, 5, 3)}`,
    );
  }
  const { all, full, scoredTst } = s.agreement;
  console.log(
    `  pooled epochs: SW acc ${f(s.pooled_epochs.sw?.accuracy, 5, 3)}; 3c acc ${f(s.pooled_epochs.w3?.accuracy, 5, 3)} κ ${f(s.pooled_epochs.w3?.kappa, 5, 3)}; full nights' |TST| over scored epochs ${f(scoredTst)}`,
  );
  for (const [name, a] of [
    ["all", all],
    ["full", full],
  ] as const) {
    console.log(
      `  ${name.padEnd(4)} wake specificity ${f(a.pooled.specificity, 5, 3)} pooled, ${f(a.medianPerNight.specificity, 5, 3)} median night; sleep sensitivity ${f(a.pooled.sensitivity, 5, 3)} pooled`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------- main

const started = Date.now();
const subjects = subjectsIn(dataDir);
const load = (options: LoadOptions) => subjects.map((s) => loadNight(dataDir, s, options));
const nights = load({});
const heartOnly = load({ motion: "none" });
const quiet = args.includes("--quiet");

const lono: Predicted = {};
const lonoHeart: Predicted = {};
for (let k = 0; k < nights.length; k++) {
  const model = fitModel(nights.filter((_, j) => j !== k));
  lono[subjects[k] as string] = predict(nights[k] as DatasetNight, model);
  lonoHeart[subjects[k] as string] = predict(heartOnly[k] as DatasetNight, model);
}
const show = option("--show");
if (show) {
  // The left-out night's hypnogram under its truth, 60 min a line: W wake, L light, D deep, R REM, . unscored.
  const k = subjects.indexOf(show);
  const night = nights[k] as DatasetNight;
  const { prediction, hypnogram } = lono[show] as ReturnType<typeof predict>;
  const from = Math.round((Date.parse(String(prediction.hypnogramStart)) / 1000 - night.table.start) / 30);
  const letter = (l: number) => (l < 0 ? "." : l === 0 ? "W" : l === 5 ? "R" : l >= 3 ? "D" : "L");
  const truth = Array.from(hypnogram, (_, j) => letter(night.labels[from + j] as number)).join("");
  for (let j = 0; j < truth.length; j += 120)
    console.log(`${truth.slice(j, j + 120)}\n${hypnogram.slice(j, j + 120)}\n`);
}
const summary = { motionAndHeart: score(nights, lono), heartOnly: score(heartOnly, lonoHeart) };
report("Leave one night out, motion (ACTIVITY_COUNT) and heart rate:", summary.motionAndHeart, !quiet);
report("Leave one night out, heart rate only:", summary.heartOnly, false);

const round = (v: number) => Number(v.toPrecision(6));
const rounded = (model: SleepModel) => JSON.stringify(model, (_, v) => (typeof v === "number" ? round(v) : v), 2);
if (args.includes("--check")) {
  // The committed coefficients are the fit's, not edited by hand: fitting again gives the same numbers.
  const same = rounded(fitModel(nights)) === rounded(SLEEP_MODEL);
  console.log(`\ncommitted coefficients ${same ? "match" : "DIFFER FROM"} a fit on these ${subjects.length} nights`);
  if (!same) process.exitCode = 1;
}
if (args.includes("--write")) {
  const json = rounded(fitModel(nights));
  const file = join(root, "src", "statistics", "sleep", "model-coefficients.ts");
  writeFileSync(
    file,
    `/**\n * Written by \`npm run fit:sleep -- --write\` (scripts/fit-sleep-model.ts) from ${subjects.length} PSG-scored nights of the\n * PhysioNet sleep-accel data set (Walch 2019, ODC-By 1.0). Do not edit by hand: change the fit and run it again.\n */\nimport type { SleepModel } from "./model";\n\nexport const SLEEP_MODEL: SleepModel = ${json};\n`,
  );
  execFileSync("npx", ["biome", "format", "--write", file], { cwd: root, stdio: "ignore" });
  console.log(`\nwrote ${file}`);
}
if (option("--json")) writeFileSync(option("--json") as string, JSON.stringify(summary, null, 1));
console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s`);
