import { DAY_MS, dayAfter, dayStart, dayToEpoch, earlierIso, epochToIso, laterIso, SECONDS_PER_DAY } from "../lib/time";
import { decodeChunk } from "../measurements/codec";
import { samplesFrom } from "../measurements/day-samples";
import type { MeasurementType } from "../measurements/types";
import { cutDays, cutIsoRange, loggedRangeStart, type ReadGrant, sinceIso, sinceSeconds } from "../sharing/policy";
import type { StatisticType } from "../statistics/types";
import type { AccessRecord } from "../user-store/access-log";
import { csvHeader, renderCsvDay } from "./csv";
import { FhirBundleWriter } from "./fhir";
import { type ArchiveFile, type ArchiveManifest, manifestOf } from "./manifest";
import { ndjsonRecords, renderNdjsonDay } from "./ndjson";
import type { ExportPlan, PlannedType, PlannedUser } from "./plan";
import type { ExportSource, RecordWindow } from "./source";
import type { RecordKind } from "./types";
import { ZipWriter } from "./zip-writer";

/**
 * Builds the export archive (docs/exports.md "Archive") as a stream of ZIP bytes: per exported user a folder
 * `users/<id>/` with one file per type, then `manifest.json`. Reads go one window at a time and every piece the
 * ZIP writer emits is yielded at once, so memory holds one window of chunks and one rendered day, whatever the range.
 */

export interface ArchiveOptions {
  generatedAt: Date;
  /** The operation recorded in the owners' access logs. */
  path: string;
  /** Deflate level (default the writer's). */
  level?: number;
}

/** Days of chunks read per store call: a 1 Hz week is a few MB of encoded chunks. */
const MEASUREMENT_WINDOW_DAYS = 7;
/** Days of records and statistics read per store call (a month of statistics is computed in one pass). */
const RECORD_WINDOW_DAYS = 31;

/** A refusal worded for the export's owner (a FAILED job's reason); anything else is an internal failure. */
export class ExportError extends Error {
  override readonly name = "ExportError";
}

const RECORD_FILES: Record<RecordKind, string> = {
  SESSIONS: "sessions",
  CHECKINS: "checkins",
  DAY_FEEDBACK: "day-feedback",
  INSIGHTS: "insights",
};

const encoder = new TextEncoder();

export async function* buildArchive(
  plan: ExportPlan,
  source: ExportSource,
  options: ArchiveOptions,
): AsyncGenerator<Uint8Array> {
  const pieces: Uint8Array[] = [];
  const zip = new ZipWriter((piece) => pieces.push(piece), { level: options.level, modified: options.generatedAt });
  const files: ArchiveFile[] = [];
  const drain = function* () {
    for (const piece of pieces.splice(0)) yield piece;
  };
  const { request } = plan;
  const format = request.format;

  for (const user of plan.users) {
    const folder = `users/${user.userId}/`;
    const logged = new Set<string>();
    /** The access record of a read through a share: on the first read of each data type only. */
    const accessFor = (grant: ReadGrant): AccessRecord | null => {
      if (!grant.viaShare || logged.has(grant.dataType)) return null;
      logged.add(grant.dataType);
      return {
        viewerId: grant.viewerId,
        dataType: grant.dataType,
        path: options.path,
        rangeStart: loggedRangeStart(grant, request.startDay),
        rangeEnd: request.endDay,
      };
    };
    const file = (name: string, exportType: string | null) => {
      zip.open(folder + name);
      return { path: folder + name, userId: user.userId, exportType };
    };

    const measurements = user.types.filter((t) => t.subject.kind === "measurement");
    const profile = await source.profile(user.userId, request.callerId);
    if (format === "fhir" && measurements.length > 0) {
      const writer = new FhirBundleWriter({
        bundleId: crypto.randomUUID(),
        generatedAt: options.generatedAt.toISOString(),
        subject: {
          id: user.userId,
          name: { given: profile.person.given, family: profile.person.family },
          ...person(profile.person),
        },
      });
      const opened = file("fhir/observations.json", null);
      zip.write(encoder.encode(writer.start()));
      const counts: Record<string, number> = {};
      for (const planned of measurements) {
        const type = measurementOf(planned);
        const before = writer.observations;
        for await (const day of readDays(source, user, planned, request, accessFor)) {
          zip.write(encoder.encode(writer.day(type, day.day, day.samples)));
          yield* drain();
        }
        counts[planned.exportType] = writer.observations - before;
      }
      zip.write(encoder.encode(writer.end()));
      files.push({ ...opened, ...zip.close(), records: writer.observations, counts });
      yield* drain();
    } else {
      for (const planned of measurements) {
        const type = measurementOf(planned);
        const opened = file(`measurements/${type}.${format === "ndjson" ? "ndjson" : "csv"}`, planned.exportType);
        if (format === "csv") zip.write(csvHeader(type));
        let records = 0;
        let first: number | null = null;
        let last: number | null = null;
        for await (const day of readDays(source, user, planned, request, accessFor)) {
          const n = day.samples.seconds.length;
          records += n;
          first ??= day.day + (day.samples.seconds[0] as number);
          last = day.day + (day.samples.seconds[n - 1] as number);
          zip.write(
            format === "csv" ? renderCsvDay(type, day.day, day.samples) : renderNdjsonDay(type, day.day, day.samples),
          );
          yield* drain();
        }
        files.push({
          ...opened,
          ...zip.close(),
          records,
          firstDatetime: first === null ? null : epochToIso(first),
          lastDatetime: last === null ? null : epochToIso(last),
        });
        yield* drain();
      }
    }

    for (const planned of user.types) {
      if (planned.subject.kind !== "records") continue;
      const kind = planned.subject.records;
      const opened = file(`${RECORD_FILES[kind]}.${format === "ndjson" ? "ndjson" : "json"}`, planned.exportType);
      const list = jsonList(zip, format === "ndjson");
      for (const window of recordWindows(request.startDay, request.endDay, planned.grant)) {
        list.add(await readRecords(source, user.userId, kind, window, accessFor(planned.grant)));
        yield* drain();
      }
      const records = list.end();
      files.push({ ...opened, ...zip.close(), records });
      yield* drain();
    }

    const statistics = user.types.filter((t) => t.subject.kind === "statistic");
    if (statistics.length > 0) {
      const types = statistics.map((t) => (t.subject.kind === "statistic" ? t.subject.statistic : null));
      const grant = (statistics[0] as PlannedType).grant;
      const opened = file(`statistics.${format === "ndjson" ? "ndjson" : "json"}`, null);
      const list = jsonList(zip, format === "ndjson");
      const counts: Record<string, number> = Object.fromEntries(statistics.map((t) => [t.exportType, 0]));
      for (const window of dayWindows(request.startDay, request.endDay, RECORD_WINDOW_DAYS)) {
        const documents = await source.statistics(
          user.userId,
          {
            types: types as StatisticType[],
            startDay: window.startDay,
            endDay: window.endDay,
            cutFrom: sinceSeconds(grant),
          },
          accessFor(grant),
        );
        for (const t of statistics) {
          const name = t.subject.kind === "statistic" ? t.subject.statistic : null;
          counts[t.exportType] = (counts[t.exportType] ?? 0) + documents.filter((d) => d.type === name).length;
        }
        list.add(documents);
        yield* drain();
      }
      const records = list.end();
      files.push({ ...opened, ...zip.close(), records, counts });
      yield* drain();
    }

    if (user.types.some((t) => t.subject.kind === "profile")) {
      for (const [name, value] of Object.entries(profile.files)) {
        const opened = file(name, "USER_PROFILE");
        zip.write(encoder.encode(`${JSON.stringify(value, null, 2)}\n`));
        files.push({ ...opened, ...zip.close(), records: 1 });
        yield* drain();
      }
    }
  }

  const manifest: ArchiveManifest = manifestOf(plan, files, options.generatedAt);
  zip.open("manifest.json");
  zip.write(encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`));
  zip.close();
  zip.finish();
  yield* drain();
}

function measurementOf(planned: PlannedType): MeasurementType {
  if (planned.subject.kind !== "measurement") throw new TypeError("not a measurement type");
  return planned.subject.measurement;
}

function person(p: { gender?: "FEMALE" | "MALE" | "OTHER" | null; birthDate?: string | null }) {
  return { gender: p.gender ?? null, birthDate: p.birthDate ?? null };
}

/** One owner's days of one type over [startDay, endDay], cut at the share's start, in windows of stored chunks. */
async function* readDays(
  source: ExportSource,
  user: PlannedUser,
  planned: PlannedType,
  range: { startDay: string; endDay: string },
  accessFor: (grant: ReadGrant) => AccessRecord | null,
) {
  const type = measurementOf(planned);
  const cut = cutDays(planned.grant, dayToEpoch(range.startDay), dayToEpoch(range.endDay));
  for (let from = cut.startDay; from <= cut.endDay; from += MEASUREMENT_WINDOW_DAYS * SECONDS_PER_DAY) {
    const to = Math.min(from + (MEASUREMENT_WINDOW_DAYS - 1) * SECONDS_PER_DAY, cut.endDay);
    const stored = await source.measurementDays(user.userId, type, from, to, accessFor(planned.grant));
    for (const chunk of stored) {
      let samples = decodeChunk(chunk.data);
      if (chunk.day === cut.startDay && cut.firstSecond > 0) samples = samplesFrom(samples, cut.firstSecond);
      if (samples.seconds.length > 0) yield { day: chunk.day, samples };
    }
  }
}

/** Consecutive windows of at most `size` days covering [startDay, endDay]. */
export function dayWindows(startDay: string, endDay: string, size: number): { startDay: string; endDay: string }[] {
  const windows: { startDay: string; endDay: string }[] = [];
  const last = Date.parse(endDay);
  for (let from = Date.parse(startDay); from <= last; from += size * DAY_MS) {
    const to = Math.min(from + (size - 1) * DAY_MS, last);
    windows.push({ startDay: isoDay(from), endDay: isoDay(to) });
  }
  return windows;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Record windows over the request, each instant range cut at the share's start. */
function recordWindows(startDay: string, endDay: string, grant: ReadGrant): RecordWindow[] {
  return dayWindows(startDay, endDay, RECORD_WINDOW_DAYS).map((w) => ({
    ...w,
    ...cutIsoRange(grant, dayStart(w.startDay), dayAfter(w.endDay)),
    since: sinceIso(grant),
  }));
}

/**
 * One window's records; a window holding more than a list answers is read day by day (the access record goes with
 * the first call that reads). A single day over the limit cannot be exported.
 */
async function readRecords(
  source: ExportSource,
  ownerId: string,
  kind: RecordKind,
  window: RecordWindow,
  access: AccessRecord | null,
): Promise<unknown[]> {
  const whole = await source.records(ownerId, kind, window, access);
  if (whole !== null) return whole;
  const out: unknown[] = [];
  for (const day of dayWindows(window.startDay, window.endDay, 1)) {
    const from = laterIso(dayStart(day.startDay), window.from);
    const to = earlierIso(dayAfter(day.endDay), window.to);
    if (!(from < to) && (kind === "SESSIONS" || kind === "CHECKINS")) continue;
    const items = await source.records(ownerId, kind, { ...day, from, to, since: window.since }, null);
    if (items === null) throw new ExportError(`too many ${RECORD_FILES[kind]} on ${day.startDay} to export`);
    out.push(...items);
  }
  return out;
}

/** A JSON array (or NDJSON lines) written window by window; `end` closes it and answers the element count. */
function jsonList(zip: ZipWriter, ndjson: boolean) {
  let count = 0;
  if (!ndjson) zip.write(encoder.encode("["));
  return {
    add(items: readonly unknown[]) {
      if (items.length === 0) return;
      if (ndjson) zip.write(ndjsonRecords(items));
      else zip.write(encoder.encode((count === 0 ? "" : ",") + items.map((item) => JSON.stringify(item)).join(",")));
      count += items.length;
    },
    end(): number {
      if (!ndjson) zip.write(encoder.encode("]\n"));
      return count;
    },
  };
}
