import type { ShareableDataType } from "../db/schema";
import { MEASUREMENT_TYPES, type MeasurementType } from "../measurements/types";
import { STATISTIC_TYPES, type StatisticType } from "../statistics/types";

/**
 * The export type vocabulary (contract §3 `types`, §12 "Export type names look like TIMELINE_TIME-SERIES_HEART-RATE;
 * the full list was not documented"). The full list, its files and the aliases accepted on input are in
 * docs/exports.md "Types".
 */

export const EXPORT_FORMATS = ["csv", "ndjson", "fhir"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What an export type reads: one measurement type, one record kind, one statistic type, or the profile. */
export type ExportSubject =
  | { kind: "measurement"; measurement: MeasurementType }
  | { kind: "records"; records: RecordKind }
  | { kind: "statistic"; statistic: StatisticType }
  | { kind: "profile" };

export const RECORD_KINDS = ["SESSIONS", "CHECKINS", "DAY_FEEDBACK", "INSIGHTS"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

const kebab = (name: string) => name.replaceAll("_", "-");

/** The contract's style: a domain, a family, then the name with hyphens (`TIMELINE_TIME-SERIES_HEART-RATE`). */
export const measurementExportType = (type: MeasurementType) => `TIMELINE_TIME-SERIES_${kebab(type)}`;
export const statisticExportType = (type: StatisticType) => `STATISTICS_${kebab(type)}`;
const RECORD_EXPORT_TYPES: Record<RecordKind, string> = {
  SESSIONS: "TIMELINE_SESSIONS",
  CHECKINS: "TIMELINE_CHECK-INS",
  DAY_FEEDBACK: "TIMELINE_DAY-FEEDBACK",
  INSIGHTS: "TIMELINE_INSIGHTS",
};
export const PROFILE_EXPORT_TYPE = "USER_PROFILE";

/** Every export type in archive order: time series, personal records, statistics, profile. */
export const EXPORT_TYPES: readonly string[] = [
  ...MEASUREMENT_TYPES.map(measurementExportType),
  ...RECORD_KINDS.map((kind) => RECORD_EXPORT_TYPES[kind]),
  ...STATISTIC_TYPES.map(statisticExportType),
  PROFILE_EXPORT_TYPE,
];

const SUBJECTS = new Map<string, ExportSubject>([
  ...MEASUREMENT_TYPES.map((m) => [measurementExportType(m), { kind: "measurement", measurement: m }] as const),
  ...RECORD_KINDS.map((r) => [RECORD_EXPORT_TYPES[r], { kind: "records", records: r }] as const),
  ...STATISTIC_TYPES.map((s) => [statisticExportType(s), { kind: "statistic", statistic: s }] as const),
  [PROFILE_EXPORT_TYPE, { kind: "profile" }],
]);

/**
 * Names a client may send for an export type besides the canonical one: the data-type names the rest of the API
 * uses (`HEART_RATE`, `SESSIONS`, `SLEEP_DURATION`), `STATISTICS` for all ten statistics, `PROFILE`.
 */
const ALIASES = new Map<string, readonly string[]>([
  ...MEASUREMENT_TYPES.map((m) => [m, [measurementExportType(m)]] as const),
  ...RECORD_KINDS.map((r) => [r, [RECORD_EXPORT_TYPES[r]]] as const),
  ...STATISTIC_TYPES.map((s) => [s, [statisticExportType(s)]] as const),
  ["STATISTICS", STATISTIC_TYPES.map(statisticExportType)],
  ["PROFILE", [PROFILE_EXPORT_TYPE]],
]);

export function exportSubject(exportType: string): ExportSubject {
  const subject = SUBJECTS.get(exportType);
  if (!subject) throw new RangeError(`unknown export type ${exportType}`);
  return subject;
}

/** The share type that governs reading this export type of another user; null for the profile card. */
export function shareTypeOf(subject: ExportSubject): ShareableDataType | null {
  switch (subject.kind) {
    case "measurement":
      return subject.measurement;
    case "records":
      return subject.records;
    case "statistic":
      return "STATISTICS";
    case "profile":
      return null;
  }
}

/**
 * Resolves the names a client sent (repeated, comma-separated or both; case as sent) to canonical export types in
 * archive order, duplicates dropped. No names means every type. Unknown names are returned for the 400.
 */
export function resolveExportTypes(names: readonly string[]): { types: string[]; unknown: string[] } {
  const wanted = new Set<string>();
  const unknown: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (name === "") continue;
    const upper = name.toUpperCase();
    const canonical = SUBJECTS.has(upper) ? [upper] : ALIASES.get(upper);
    if (canonical) for (const type of canonical) wanted.add(type);
    else unknown.push(name);
  }
  const types = wanted.size === 0 ? [...EXPORT_TYPES] : EXPORT_TYPES.filter((type) => wanted.has(type));
  return { types, unknown };
}
