/**
 * Which statistic needs which window of data, and how one local day's statistics are computed from epoch tables.
 * Pure: the caller (the UserStore) supplies the tables through `EpochSource` and caches what this answers.
 */
import { DAY_VERSIONS, daytimeRestingHeartRate, homeostasisLimit, intenseActivity, stress } from "./day";
import { EPOCH_SECONDS, type EpochTable, joinEpochs, type StatisticResult } from "./epochs";
import { addDays, localMidnight, localTime } from "./local-days";
import {
  classifySleepWake,
  findNight,
  type NightResult,
  SLEEP_VERSIONS,
  sleepCycles,
  sleepDuration,
  sleepHrv,
  sleepRegularity,
  sleepStages,
} from "./sleep";
import type { StatisticType } from "./types";

export const STATISTIC_VERSIONS: Record<StatisticType, string> = { ...DAY_VERSIONS, ...SLEEP_VERSIONS };

/** Days of history before the reported day: the stress baseline reads 14 local days, the SRI 7 day pairs. */
export const STRESS_HISTORY_DAYS = 14;
export const REGULARITY_DAYS = 8;

const SLEEP_FAMILY = ["SLEEP_DURATION", "SLEEP_STAGES", "SLEEP_CYCLES", "SLEEP_HRV"] as const;
const STRESS_FAMILY = ["STRESS_DURATION", "STRESS_FREQUENCY", "STRESS_RECOVERY"] as const;

/** What a person-level input the algorithms take: their age (from the profile) and their raw calibration. */
export interface PersonInputs {
  age: number | null;
  /** `settings.reactivity_calibration` as stored (validated by the stress module). */
  calibration: unknown;
}

/** Builds epoch tables of [from, to) (Unix seconds) from the stored samples, already cut at the share's start. */
export interface EpochSource {
  table(from: number, to: number): EpochTable;
}

/** The night of `day` (it ends on that local date) is searched in [day-1 12:00, day 18:00) and must end after 18:00 the day before. */
export function nightWindow(day: string, zone: string) {
  const previous = addDays(day, -1);
  return {
    from: localTime(previous, 12, zone),
    to: localTime(day, 18, zone),
    endsFrom: localTime(previous, 18, zone),
    endsBefore: localTime(day, 18, zone),
  };
}

/** The instants whose data a statistic of `day` depends on: a change inside them invalidates its cached value. */
export function dependencyWindow(type: StatisticType, day: string, zone: string): { from: number; to: number } {
  const dayEnd = localMidnight(addDays(day, 1), zone);
  switch (type) {
    // A night is read as the day tables of the two days it spans (`DayComputation.night`), whole: their streams'
    // sample spacing and scales come from the whole day. So are the resting heart rate and intense activity, which
    // leave that night out.
    case "SLEEP_DURATION":
    case "SLEEP_STAGES":
    case "SLEEP_CYCLES":
    case "SLEEP_HRV":
    case "DAYTIME_RESTING_HEART_RATE":
    case "INTENSE_ACTIVITY":
      return { from: localMidnight(addDays(day, -1), zone), to: dayEnd };
    case "SLEEP_REGULARITY":
      return { from: localMidnight(addDays(day, -(REGULARITY_DAYS - 1)), zone), to: dayEnd };
    case "STRESS_DURATION":
    case "STRESS_FREQUENCY":
    case "STRESS_RECOVERY":
      return { from: localMidnight(addDays(day, -(STRESS_HISTORY_DAYS - 1)), zone), to: dayEnd };
  }
}

/** Computes the requested statistics of one local day; tables are built once per window and shared. */
export class DayComputation {
  readonly #source: EpochSource;
  readonly #zone: string;
  readonly #person: PersonInputs;
  readonly #dayTables = new Map<string, EpochTable>();
  readonly #nights = new Map<string, NightResult>();

  constructor(source: EpochSource, zone: string, person: PersonInputs) {
    this.#source = source;
    this.#zone = zone;
    this.#person = person;
  }

  dayTable(day: string): EpochTable {
    let table = this.#dayTables.get(day);
    if (!table) {
      table = this.#source.table(localMidnight(day, this.#zone), localMidnight(addDays(day, 1), this.#zone));
      this.#dayTables.set(day, table);
    }
    return table;
  }

  night(day: string): NightResult {
    let night = this.#nights.get(day);
    if (!night) {
      const w = nightWindow(day, this.#zone);
      const before = this.dayTable(addDays(day, -1));
      const after = this.dayTable(day);
      const table =
        joinEpochs(
          before,
          Math.round((w.from - before.start) / EPOCH_SECONDS),
          after,
          Math.round((w.to - after.start) / EPOCH_SECONDS),
        ) ?? this.#source.table(w.from, w.to);
      night = findNight(table, { endsFrom: w.endsFrom, endsBefore: w.endsBefore });
      this.#nights.set(day, night);
    }
    return night;
  }

  #sleepPeriod(day: string): { from: number; to: number } | null {
    const { night } = this.night(day);
    return night ? { from: night.inBedStart, to: night.inBedEnd } : null;
  }

  /** The statistics of `types` for `day`. Days are computed in ascending order: older tables are let go. */
  compute(day: string, types: readonly StatisticType[]): Map<StatisticType, StatisticResult> {
    const oldest = addDays(day, -Math.max(STRESS_HISTORY_DAYS, REGULARITY_DAYS));
    for (const key of this.#dayTables.keys()) if (key < oldest) this.#dayTables.delete(key);
    for (const key of this.#nights.keys()) if (key < day) this.#nights.delete(key);
    const out = new Map<StatisticType, StatisticResult>();
    const wanted = new Set(types);
    if (SLEEP_FAMILY.some((t) => wanted.has(t))) {
      const night = this.night(day);
      if (wanted.has("SLEEP_DURATION")) out.set("SLEEP_DURATION", sleepDuration(night));
      if (wanted.has("SLEEP_STAGES")) out.set("SLEEP_STAGES", sleepStages(night));
      if (wanted.has("SLEEP_CYCLES")) out.set("SLEEP_CYCLES", sleepCycles(night));
      if (wanted.has("SLEEP_HRV")) out.set("SLEEP_HRV", sleepHrv(night));
    }
    if (wanted.has("SLEEP_REGULARITY")) {
      const days = [];
      for (let k = REGULARITY_DAYS - 1; k >= 0; k--) {
        const table = this.dayTable(addDays(day, -k));
        days.push({ start: table.start, sleepWake: classifySleepWake(table) });
      }
      out.set("SLEEP_REGULARITY", sleepRegularity(days));
    }
    let resting: StatisticResult | undefined;
    if (wanted.has("DAYTIME_RESTING_HEART_RATE") || wanted.has("INTENSE_ACTIVITY")) {
      resting = daytimeRestingHeartRate(this.dayTable(day), this.#sleepPeriod(day));
      if (wanted.has("DAYTIME_RESTING_HEART_RATE")) out.set("DAYTIME_RESTING_HEART_RATE", resting);
    }
    if (wanted.has("INTENSE_ACTIVITY")) {
      const bpm = resting?.enoughData ? resting.data.bpm : null;
      out.set(
        "INTENSE_ACTIVITY",
        intenseActivity(this.dayTable(day), {
          age: this.#person.age,
          restingHeartRate: typeof bpm === "number" ? bpm : null,
        }),
      );
    }
    if (STRESS_FAMILY.some((t) => wanted.has(t))) {
      const history: EpochTable[] = [];
      for (let k = STRESS_HISTORY_DAYS - 1; k >= 0; k--) history.push(this.dayTable(addDays(day, -k)));
      const limit = homeostasisLimit(this.#person.calibration, history);
      const results = stress(this.dayTable(day), limit, this.#sleepPeriod(day));
      for (const t of STRESS_FAMILY) if (wanted.has(t)) out.set(t, results[t]);
    }
    return out;
  }
}
