/**
 * The model behind src/statistics/synthetic.ts (docs/statistics.md): the schedule of each day (the
 * truth) and the second-by-second physiology. Only erasable syntax and type-only imports, so Node 24 runs it as is.
 *
 * - Sleep: lights-out 23:00 ± 45 min, latency 5-20 min, wake 07:00 ± 45 min, 2-10 min awake in bed after. ~90-min
 *   cycles (80-110): light, deep (30-45 min in the first cycle, 20-30 in the second, 5-15 in the third, none later),
 *   light, REM (4-10, 10-20, 18-28, then 25-40 min), so REM lengthens towards morning. 2-4 awakenings of 1-10 min,
 *   mostly after a REM period, with movement. Heart rate below resting (deep -8, light -5, REM -3 and irregular, a
 *   2-bpm overnight nadir); near-zero movement with twitches (REM most, deep least) and positional changes.
 * - Day: sitting heart rate resting + 11..17 bpm (a day's level, ± 1.5 bpm over the day), three walks (commute,
 *   lunch, home) and 3-6 short ones at 95-112 steps/min, a run on 85 % of days (40-60 min, 150-172 steps/min, 70-85
 *   % of the heart-rate reserve after a 4-min warm-up, 3-min cool-down), a calm 20-30 min rest at the resting heart
 *   rate before bed, 2-4 stress episodes (5-20 min, perfectly still, 15-30 bpm above the sitting level) at least
 *   15 min from any other activity and 35 min after the run.
 */
import type { SyntheticOptions, SyntheticSession, SyntheticTruthDay } from "./synthetic.ts";

/** Activity codes used here (NOWATCH never published the names of 1-122; this is the generator's own convention). */
export const SYNTHETIC_ACTIVITY = { none: 0, walking: 1, running: 2 };
/** 220 - age overestimates; Tanaka et al. 2001: 208 - 0.7 × age, rounded. */
export const PERSON = { age: 35, maxHeartRate: 184 };
const BASE_RESTING = 58;
export const DAY = 86_400;
export const EPOCH = 30;

// Per-second states. In bed, state - BED is the sleep stage (0 wake, 1 light, 2 deep, 3 REM).
const SIT = 0;
export const WALK = 1;
export const WORKOUT = 2;
const STRESS = 3;
const CALM = 4;
export const BED = 5;
/** Scale of the slow heart-rate wander per state: deep sleep steady, REM irregular, calm rest quiet. */
const WANDER = [1, 1, 1, 1, 0.6, 1, 0.6, 0.3, 1.8];
/** Heart rate in bed relative to resting (bpm): awake in bed a little above, light below, deep lowest, REM between. */
const SLEEP_HR = [3, -5, -8, -3];
/** Beat-to-beat variability per stage, as a factor on the night's parameter (vagal tone highest in deep sleep). */
const SLEEP_HRV = [0, 1, 1.2, 0.8];
/** RR white-noise sd (ms) awake: high at calm rest, low under stress and exercise. Sleep epochs paint their own. */
const DAY_HRV = [14, 6, 2.5, 6, 22, 18];
const hrvOf = (state: number) => DAY_HRV[state] as number;
/** Breathing (breaths/min) and wrist skin temperature (°C) each state drifts towards. */
export const BREATH = [15, 18, 28, 17.5, 13, 14, 14, 13, 15.5];
export const SKIN = [33.2, 32.8, 32.3, 33, 33.4, 34.6, 34.9, 35.1, 34.9];
/**
 * Movement (counts per second) per state: the chance that a second has any, and then its range [low, low + span).
 * Sitting: fidgeting 1-6 in 12 % of seconds; walking 30-49; running 80-119; stress and calm rest perfectly still;
 * awake in bed restless (2-11 in a quarter of seconds); asleep only twitches of 1-4: light 0.4 %, deep 0.05 %, REM
 * 0.8 % of seconds (positional changes are added per night).
 */
const MOVE_CHANCE = [0.12, 1, 1, 1e-9, 1e-9, 0.25, 0.004, 0.0005, 0.008];
const MOVE_LOW = [1, 30, 80, 0, 0, 2, 1, 1, 1];
const MOVE_SPAN = [6, 20, 40, 0, 0, 10, 4, 4, 4];
export const CODE = [0, SYNTHETIC_ACTIVITY.walking, SYNTHETIC_ACTIVITY.running, 0, 0, 0, 0, 0, 0];

/** A mulberry32 stream (Tommy Ettinger's 32-bit generator): its state, stepped by `next`. */
export interface Rng {
  a: number;
}
export const mulberry32 = (seed: number): Rng => ({ a: seed >>> 0 });
/** The next uniform number in [0, 1). One top-level function for every stream, so the hot loops inline it. */
export function next(r: Rng): number {
  r.a = (r.a + 0x6d2b79f5) >>> 0;
  let t = Math.imul(r.a ^ (r.a >>> 15), r.a | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
/** Roughly normal, mean 0, sd 1: a triangular variate (two uniforms; cheap, bounded at ±2.45). */
export const normal = (r: Rng) => (next(r) + next(r) - 1) * 2.449;
export const between = (r: Rng, lo: number, hi: number) => lo + (hi - lo) * next(r);
const iso = (t: number) => new Date(t * 1000).toISOString();

export interface Night {
  start: number;
  onset: number;
  wake: number;
  end: number;
  stages: Uint8Array;
  /** Unix seconds of positional changes (bursts of movement). */
  moves: number[];
}
/** The beats (at most one a second): seconds after the window's start, and RR intervals (ms). */
export interface Beats {
  beatAt: Int32Array;
  beatRr: Float64Array;
}
/** What the sampling of every type reads. */
export interface Model {
  w: World;
  beats: Beats;
  resting: number[];
}
export interface World {
  t0: number;
  n: number;
  state: Uint8Array;
  /** Per second: the heart-rate target (bpm) as planned; after `simulate`, the simulated true heart rate. */
  hr: Float32Array;
  /** Per second: steps/min while walking or running (a bout's level), else 0. */
  cadence: Uint8Array;
  /** Per second: sd of the RR white noise in quarter milliseconds. */
  hrv: Uint8Array;
  /** Per second: movement counts (0-119), before the device scale. */
  move: Uint8Array;
  nights: Night[];
}

/** One night: lights-out, latency, ~90-min cycles (deep early, REM lengthening), a few awakenings, final wake. */
function night(r: Rng, start: number, wakeAt: number): Night {
  const onset = start + EPOCH * Math.round(between(r, 10, 40)); // latency 5-20 min
  const end = wakeAt + EPOCH * Math.round(between(r, 4, 20)); // 2-10 min awake in bed before getting up
  const stages = new Uint8Array((end - start) / EPOCH);
  const a = (onset - start) / EPOCH;
  const b = (wakeAt - start) / EPOCH;
  const bounds: number[] = [];
  const run = (from: number, epochs: number, stage: number) => {
    const to = Math.min(b, from + epochs);
    stages.fill(stage, Math.min(from, b), to);
    return to;
  };
  let pos = a;
  for (let c = 0; pos < b; c++) {
    const len = 2 * between(r, 80, 110);
    const deep = Math.round(
      2 * (c === 0 ? between(r, 30, 45) : c === 1 ? between(r, 20, 30) : c === 2 ? between(r, 5, 15) : 0),
    );
    const rem = Math.round(
      2 *
        (c === 0
          ? between(r, 4, 10)
          : c === 1
            ? between(r, 10, 20)
            : c === 2
              ? between(r, 18, 28)
              : between(r, 25, 40)),
    );
    const light = Math.max(20, Math.round(len) - deep - rem);
    const down = Math.round(light * 0.6);
    pos = run(run(run(run(pos, down, 1), deep, 2), light - down, 1), rem, 3);
    bounds.push(pos);
  }
  // 2-4 awakenings of 1-10 min, mostly at the end of a cycle (after REM), each starting with a positional change.
  const moves: number[] = [];
  const bouts = 2 + Math.floor(next(r) * 3);
  for (let k = 0; k < bouts; k++) {
    const len = 2 + Math.floor(next(r) * 19);
    const atBound = bounds.length > 1 && next(r) < 0.7;
    const at = atBound
      ? (bounds[Math.floor(next(r) * (bounds.length - 1))] as number)
      : a + 40 + Math.floor(next(r) * (b - a - 80));
    const s = Math.min(at, b - 2 - len);
    if (s < a + 20) continue;
    stages.fill(0, s, s + len);
    moves.push(start + s * EPOCH + 5);
  }
  // 2-4 more positional changes within light sleep.
  for (let k = 2 + Math.floor(next(r) * 3); k > 0; ) {
    const e = a + Math.floor(next(r) * (b - a));
    if (stages[e] !== 1) continue;
    moves.push(start + e * EPOCH + Math.floor(next(r) * 20));
    k--;
  }
  return { start, onset, wake: wakeAt, end, stages, moves };
}

/** Draws the schedule (the truth) and paints each second's state, heart-rate target, cadence and beat variability. */
export function plan(o: Required<SyntheticOptions>, r: Rng) {
  const [y, m, d] = o.startDay.split("-").map(Number) as [number, number, number];
  const t0 = Date.UTC(y, m - 1, d) / 1000 - o.utcOffsetMinutes * 60;
  const n = o.days * DAY;
  const w: World = {
    t0,
    n,
    state: new Uint8Array(n),
    hr: new Float32Array(n),
    cadence: new Uint8Array(n),
    hrv: new Uint8Array(n),
    move: new Uint8Array(n),
    nights: [],
  };
  const at = (day: number, hours: number) => t0 + day * DAY + Math.round(hours * 3600);
  const snap = (t: number, unit: number) => Math.round(t / unit) * unit;
  /** Paints [s, e) (Unix seconds, cut to the window); `rise` adds to the target already there instead. */
  const paint = (s: number, e: number, state: number, level: number, cadence: number, hrv: number, rise = false) => {
    const from = Math.max(0, s - t0);
    const to = Math.max(from, Math.min(n, e - t0));
    w.state.fill(state, from, to);
    w.cadence.fill(Math.round(cadence), from, to);
    w.hrv.fill(Math.round(hrv * 4), from, to);
    if (!rise) w.hr.fill(level, from, to);
    else for (let i = from; i < to; i++) w.hr[i] = (w.hr[i] as number) + level;
  };
  const resting = Array.from({ length: o.days }, () => BASE_RESTING + Math.floor(next(r) * 3) - 1);
  const reserve = (day: number) => PERSON.maxHeartRate - (resting[day] as number);
  // Sitting still awake: resting + 11..17 per day, with a gentle afternoon peak (± 1.5 bpm).
  const sitting = resting.map((rest) => rest + between(r, 11, 17));
  const swing = new Float32Array(DAY).map((_, i) => 1.5 * Math.sin((2 * Math.PI * (i - 9 * 3600)) / DAY));
  for (let day = 0; day < o.days; day++) {
    for (let j = 0, base = sitting[day] as number, i = day * DAY; j < DAY; j++)
      w.hr[i + j] = base + (swing[j] as number);
  }
  w.hrv.fill(hrvOf(SIT) * 4);
  // Night k ends on local day k: lights-out ~23:00 ± 45 min the evening before, wake ~07:00 ± 45 min.
  for (let k = 0; k <= o.days; k++) {
    const nt = night(r, snap(at(k - 1, between(r, 22.25, 23.75)), EPOCH), snap(at(k, between(r, 6.25, 7.75)), EPOCH));
    w.nights.push(nt);
    const rest = resting[Math.min(k, o.days - 1)] as number;
    const sd = between(r, 32, 55) / Math.SQRT2; // white RR noise of sd σ has an RMSSD of σ√2
    const a = (nt.onset - nt.start) / EPOCH;
    const span = (nt.wake - nt.onset) / EPOCH;
    nt.stages.forEach((stage, e) => {
      const dip = 2 * Math.sin(Math.PI * Math.min(1, Math.max(0, (e - a) / span))); // the small overnight nadir
      const level = rest + (SLEEP_HR[stage] as number) - dip;
      const s = nt.start + e * EPOCH;
      paint(s, s + EPOCH, BED + stage, level, 0, stage === 0 ? hrvOf(BED) : sd * (SLEEP_HRV[stage] as number));
    });
  }
  const truth: SyntheticTruthDay[] = [];
  const sessions: SyntheticSession[] = [];
  for (let day = 0; day < o.days; day++) {
    const up = (w.nights[day] as Night).end;
    const down = (w.nights[day + 1] as Night).start;
    const busy: Array<[number, number]> = [
      [Number.NEGATIVE_INFINITY, up],
      [down, Number.POSITIVE_INFINITY],
    ];
    const place = (lo: number, hi: number, minutes: number, margin: number, pad = 0) => {
      const dur = Math.round(minutes) * 60;
      for (let tries = 0; tries < 200 && hi - lo > dur; tries++) {
        const s = snap(lo + next(r) * (hi - lo - dur), 60);
        const e = s + dur;
        if (busy.every(([bs, be]) => e + margin <= bs || s - margin >= be)) {
          busy.push([s - pad, e + pad]);
          return [s, e] as const;
        }
      }
      return null;
    };
    const rest = resting[day] as number;
    const walk = (span: readonly [number, number] | null) => {
      if (span) paint(span[0], span[1], WALK, (sitting[day] as number) + 25, between(r, 95, 112), hrvOf(WALK));
    };
    walk(place(up + 2400, up + 4800, between(r, 15, 25), 300)); // to work
    walk(place(at(day, 12.25), at(day, 13), between(r, 10, 20), 300)); // lunch
    walk(place(at(day, 17), at(day, 17.75), between(r, 15, 25), 300)); // home
    // A run on most days: 40-60 min at 70-85 % of the heart-rate reserve, 4-min warm-up, 3-min cool-down.
    const run = next(r) < 0.85 ? place(at(day, 17.5), at(day, 20.5), between(r, 40, 60), 600, 1200) : null;
    if (run) {
      const [s, e] = run;
      const f = between(r, 0.7, 0.85);
      paint(s, e, WORKOUT, 0, between(r, 150, 172), hrvOf(WORKOUT));
      for (let p = 0; p < e - s; p++) {
        const share =
          p < 240 ? 0.5 + ((f - 0.5) * p) / 240 : p > e - s - 180 ? f - ((f - 0.55) * (p - (e - s - 180))) / 180 : f;
        if (s - t0 + p < n) w.hr[s - t0 + p] = rest + share * reserve(day);
      }
      sessions.push({
        startDatetime: iso(s),
        endDatetime: iso(e),
        type: SYNTHETIC_ACTIVITY.running,
        info: { name: "Evening run", origin: 2 },
      });
    }
    const calm = place(down - 6000, down - 1800, between(r, 20, 30), 600);
    if (calm) paint(calm[0], calm[1], CALM, rest, 0, hrvOf(CALM));
    for (let k = 3 + Math.floor(next(r) * 4); k > 0; k--) walk(place(up + 1800, down - 3600, between(r, 2, 5), 300));
    // 2-4 stress episodes at the desk: still, heart rate 15-30 bpm above the sitting level, 5-20 min.
    const stress: Array<{ start: number; end: number }> = [];
    for (let k = 2 + Math.floor(next(r) * 3); k > 0; k--) {
      const span = place(up + 3600, down - 3600, between(r, 5, 20), 900);
      if (!span) continue;
      const rise = between(r, 15, 30);
      paint(span[0], span[1], STRESS, rise, 0, hrvOf(STRESS), true);
      stress.push({ start: span[0], end: span[1] });
    }
    stress.sort((p, q) => p.start - q.start);
    truth.push({
      day: iso(Date.UTC(y, m - 1, d) / 1000 + day * DAY).slice(0, 10),
      restingHeartRate: rest,
      stressEpisodes: stress,
      stressMinutes: stress.reduce((sum, p) => sum + (p.end - p.start) / 60, 0),
      workout: run ? { start: run[0], end: run[1], type: SYNTHETIC_ACTIVITY.running } : null,
      intenseMinutes: 0,
      night: null,
    });
  }
  return { w, truth, sessions, resting };
}

/** Heart rate follows its target (rise τ 20 s, fall τ 40 s) plus a slow wander; movement per state; the beats. */
export function simulate(w: World, r: Rng) {
  let hr = w.hr[0] as number;
  let wander = 0;
  for (let i = 0; i < w.n; i++) {
    const st = w.state[i] as number;
    const target = w.hr[i] as number;
    hr += (target - hr) * (target > hr ? 0.05 : 0.025);
    // AR(1) with uniform steps of sd 0.14 (the sum over ~100 s is near normal): stationary sd ≈ 1 bpm × the scale.
    wander = 0.99 * wander + 0.485 * (WANDER[st] as number) * (next(r) - 0.5);
    w.hr[i] = hr + wander;
    // Movement: with the state's chance a second has counts, spread evenly over the state's range.
    const u = next(r) / (MOVE_CHANCE[st] as number);
    w.move[i] = u < 1 ? (MOVE_LOW[st] as number) + Math.floor(u * (MOVE_SPAN[st] as number)) : 0;
  }
  for (const nt of w.nights) {
    for (const t of nt.moves) {
      const len = 5 + Math.floor(next(r) * 8);
      const counts = 8 + Math.floor(next(r) * 13);
      for (let i = t - w.t0; i < t - w.t0 + len; i++) if (i >= 0 && i < w.n) w.move[i] = counts;
    }
  }
  // Beats: RR = 60000 / HR + white noise of the state's sd. One HEART_BEAT sample per second at most (the upload keeps
  // one row per second), so a beat may be stamped up to 2 s late; beyond that (heart rate > 60 for a while) it is
  // dropped. Asleep the heart beats about once in 1.1 s, so a sleeping beat is almost never late and never dropped.
  const beatAt = new Int32Array(w.n);
  const beatRr = new Float64Array(w.n);
  let count = 0;
  let last = -1;
  for (let t = next(r); ; ) {
    const i = Math.floor(t);
    if (i >= w.n) break;
    const rr = Math.min(2000, Math.max(300, 60_000 / (w.hr[i] as number) + (w.hrv[i] as number) * 0.25 * normal(r)));
    t += rr / 1000;
    const sec = Math.floor(t);
    const stamp = sec > last ? sec : last + 1;
    if (stamp >= w.n) break;
    if (stamp > sec + 2) continue;
    beatAt[count] = stamp;
    beatRr[count++] = Math.round(rr);
    last = stamp;
  }
  return { beatAt: beatAt.subarray(0, count), beatRr: beatRr.subarray(0, count) };
}

// Truth that needs the simulation: intense minutes (mean true heart rate of the minute ≥ 60 % of the reserve) and
// each complete night's RMSSD over successive HEART_BEAT samples both inside sleep epochs (before any gaps).
export function completeTruth(w: World, truth: SyntheticTruthDay[], beats: Beats) {
  const { t0 } = w;
  const { beatAt, beatRr } = beats;
  let first = 0;
  truth.forEach((day, index) => {
    if (day.workout) {
      const threshold = day.restingHeartRate + 0.6 * (PERSON.maxHeartRate - day.restingHeartRate);
      for (let s = day.workout.start - t0; s < day.workout.end - t0; s += 60) {
        let sum = 0;
        for (let i = s; i < s + 60; i++) sum += w.hr[i] as number;
        if (sum / 60 >= threshold) day.intenseMinutes++;
      }
    }
    const nt = w.nights[index] as Night;
    if (index === 0 || nt.start < t0) return;
    const asleep = (t: number) =>
      t >= nt.start && t < nt.end && (nt.stages[Math.floor((t - nt.start) / EPOCH)] as number) > 0;
    let sum = 0;
    let pairs = 0;
    while (first < beatAt.length && t0 + (beatAt[first] as number) < nt.start) first++;
    for (let k = Math.max(1, first); k < beatAt.length; k++) {
      const t = t0 + (beatAt[k] as number);
      if (t >= nt.end) break;
      if (!asleep(t) || !asleep(t0 + (beatAt[k - 1] as number))) continue;
      sum += ((beatRr[k] as number) - (beatRr[k - 1] as number)) ** 2;
      pairs++;
    }
    const sleeping = nt.stages.reduce((c, s) => c + (s > 0 ? 1 : 0), 0);
    day.night = {
      day: day.day,
      inBedStart: nt.start,
      onset: nt.onset,
      wake: nt.wake,
      inBedEnd: nt.end,
      totalSleepMinutes: sleeping / 2,
      stages: nt.stages,
      rmssd: pairs > 0 ? Math.sqrt(sum / pairs) : 0,
    };
  });
}
