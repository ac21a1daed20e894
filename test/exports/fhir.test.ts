import { describe, expect, it } from "vitest";
import {
  FHIR_CODES,
  FhirBundleWriter,
  type FhirSubject,
  NOWATCH_MEASUREMENT_TYPES,
  planRuns,
  RUN_BREAK_SECONDS,
} from "../../src/exports/fhir";
import { type DaySamples, emptyDaySamples, MEASUREMENT_TYPES, type MeasurementType } from "../../src/measurements";
import { day, int, prng } from "../measurements/random";
import { DAY, fullDay, typeDay } from "./samples";

const USER = `uid_${"0123456789abcdef".repeat(2)}${"AbCdEfGh_-".repeat(3)}xy`;
const SUBJECT: FhirSubject = {
  id: USER,
  name: { given: "Ana", family: "Müller" },
  gender: "FEMALE",
  birthDate: "1990-02-03",
};
const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

interface Coding {
  system: string;
  code: string;
  display?: string;
}
interface Quantity {
  value: number;
  unit?: string;
  system: string;
  code: string;
}
/** The parts of a Patient or an Observation these tests read. */
interface Resource {
  resourceType: string;
  id: string;
  status?: string;
  category?: unknown;
  code?: { coding: Coding[]; text?: string };
  subject?: { reference: string };
  effectivePeriod?: { start: string; end: string };
  effectiveDateTime?: string;
  valueQuantity?: Quantity;
  valueSampledData?: { origin: Quantity; period: number; dimensions: number; factor?: number; data: string };
  identifier?: unknown;
  name?: unknown;
  gender?: string;
  birthDate?: string;
}
interface Bundle {
  resourceType: string;
  id: string;
  type: string;
  timestamp: string;
  entry: { fullUrl: string; resource: Resource }[];
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

const writer = (subject: FhirSubject = SUBJECT) =>
  new FhirBundleWriter({ bundleId: "export-1", generatedAt: "2024-03-01T10:00:00.000Z", subject });

/** start() + one day() per item + end(), parsed: it must be one JSON document. */
function bundleOf(days: [MeasurementType, number, DaySamples][], w = writer()): Bundle {
  let body = w.start();
  for (const [type, dayEpoch, samples] of days) body += w.day(type, dayEpoch, samples);
  body += w.end();
  return JSON.parse(body) as Bundle;
}

const observations = (bundle: Bundle): Resource[] =>
  bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === "Observation");

const seconds = (iso: string, dayEpoch: number): number => Date.parse(iso) / 1000 - dayEpoch;

/** Decodes Observations back to a day's (second, value) pairs: SampledData by origin + period, or one quantity. */
function decode(resources: Resource[], dayEpoch: number): { seconds: number[]; values: number[] } {
  const out = { seconds: [] as number[], values: [] as number[] };
  for (const r of resources) {
    const sd = r.valueSampledData;
    if (sd) {
      expect(sd.dimensions).toBe(1);
      expect(sd.factor).toBeUndefined();
      const period = must(r.effectivePeriod, "effectivePeriod");
      const start = seconds(period.start, dayEpoch);
      const step = sd.period / 1000;
      let last = -1;
      sd.data.split(" ").forEach((token, k) => {
        if (token === "E") return;
        last = start + k * step;
        out.seconds.push(last);
        out.values.push(sd.origin.value + Number(token));
      });
      expect(seconds(period.end, dayEpoch), "effectivePeriod.end is the last sample").toBe(last);
    } else {
      out.seconds.push(seconds(must(r.effectiveDateTime, "effectiveDateTime"), dayEpoch));
      out.values.push(must(r.valueQuantity, "valueQuantity").value);
    }
  }
  return out;
}

function expectDecodes(resources: Resource[], dayEpoch: number, samples: DaySamples): void {
  const decoded = decode(resources, dayEpoch);
  expect(decoded.seconds).toEqual([...samples.seconds]);
  const wrong = decoded.values.filter((v, i) => !Object.is(v, samples.values[i]));
  expect(wrong, "values differ bitwise").toEqual([]);
}

/** A 1 Hz series over [from, to) with `holes` seconds removed. */
function oneHertz(from: number, to: number, holes: Set<number> = new Set()): DaySamples {
  const s: number[] = [];
  for (let i = from; i < to; i++) if (!holes.has(i)) s.push(i);
  return day(
    s,
    s.map((i) => 60 + (i % 40)),
  );
}

describe("FHIR Bundle: structure", () => {
  it("is a valid collection Bundle with only the Patient when there are no observations", () => {
    const w = writer();
    const bundle = bundleOf([["HEART_RATE", DAY, emptyDaySamples()]], w);
    expect(bundle).toMatchObject({ resourceType: "Bundle", id: "export-1", type: "collection" });
    expect(bundle.timestamp).toBe("2024-03-01T10:00:00.000Z");
    expect(bundle.entry).toHaveLength(1);
    expect(w.observations).toBe(0);
  });

  it("describes the subject as a Patient whose id is an R4 id and whose identifier is the user id", () => {
    const [entry] = bundleOf([]).entry;
    const patient = must(entry, "the Patient entry").resource;
    expect(patient.resourceType).toBe("Patient");
    expect(patient.id).toMatch(FHIR_ID);
    expect(entry?.fullUrl).toBe(`urn:uuid:${patient.id}`);
    expect(patient.identifier).toEqual([{ system: "https://api.nowatch.tech/fhir/NamingSystem/user-id", value: USER }]);
    expect(patient.name).toEqual([{ family: "Müller", given: ["Ana"] }]);
    expect(patient.gender).toBe("female");
    expect(patient.birthDate).toBe("1990-02-03");
  });

  it("maps every gender to administrative-gender and leaves out what the profile lacks", () => {
    for (const [gender, code] of [
      ["MALE", "male"],
      ["OTHER", "other"],
    ] as const) {
      expect(bundleOf([], writer({ id: USER, gender })).entry[0]?.resource.gender).toBe(code);
    }
    const bare = bundleOf([], writer({ id: USER, gender: null, birthDate: "03.02.1990", name: {} })).entry[0];
    expect(Object.keys(bare?.resource ?? {})).toEqual(["resourceType", "id", "identifier"]);
  });

  it("gives every entry a unique urn:uuid fullUrl, the same for the same user and day on a re-export", () => {
    const days: [MeasurementType, number, DaySamples][] = MEASUREMENT_TYPES.map((type) => [
      type,
      DAY,
      day([0, 100, 5000], [1, 2, 3]),
    ]);
    const bundle = bundleOf(days);
    const urls = bundle.entry.map((e) => e.fullUrl);
    expect(new Set(urls).size).toBe(urls.length);
    for (const e of bundle.entry) {
      expect(e.fullUrl).toMatch(/^urn:uuid:/);
      expect(e.fullUrl.slice(9)).toMatch(UUID_V8);
      expect(e.resource.id).toBe(e.fullUrl.slice(9));
    }
    expect(bundleOf(days).entry.map((e) => e.fullUrl)).toEqual(urls);
    const stranger = bundleOf(days, writer({ id: `${USER.slice(0, -1)}z` })).entry.map((e) => e.fullUrl);
    expect(stranger.filter((url) => urls.includes(url))).toEqual([]);
  });

  it("gives every Observation status, category, code, subject and the NOWATCH coding", () => {
    const bundle = bundleOf(MEASUREMENT_TYPES.map((type) => [type, DAY, oneHertz(0, 600)]));
    const patientUrl = bundle.entry[0]?.fullUrl;
    const found = observations(bundle);
    expect(found).toHaveLength(MEASUREMENT_TYPES.length);
    found.forEach((r, i) => {
      const type = MEASUREMENT_TYPES[i] as MeasurementType;
      expect(r.status).toBe("final");
      expect(r.subject).toEqual({ reference: patientUrl });
      const category = type.startsWith("ACTIVITY") || type === "MOTION_GRAPH" ? "activity" : "vital-signs";
      expect(r.category).toEqual([
        { coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: category }] },
      ]);
      const codings = must(r.code, "code").coding;
      expect(codings[0]).toMatchObject({ system: FHIR_CODES[type].system, code: FHIR_CODES[type].code });
      expect(codings.at(-1)).toMatchObject({ system: NOWATCH_MEASUREMENT_TYPES, code: type });
      const origin = must(r.valueSampledData, "valueSampledData").origin;
      expect(origin).toMatchObject({ system: "http://unitsofmeasure.org", value: 0, code: FHIR_CODES[type].unit });
    });
  });

  it.each([
    ["HEART_RATE", "8867-4", "/min"],
    ["RESPIRATION_RATE", "9279-1", "/min"],
    ["TEMPERATURE", "8310-5", "Cel"],
    ["RESTING_HEART_RATE", "40443-4", "/min"],
  ] as const)("codes %s as LOINC %s in %s", (type, code, unit) => {
    const [quantity] = observations(bundleOf([[type, DAY, day([10], [37])]]));
    expect(quantity?.code?.coding[0]).toMatchObject({ system: "http://loinc.org", code });
    expect(quantity?.valueQuantity).toMatchObject({ value: 37, system: "http://unitsofmeasure.org", code: unit });
  });

  it("refuses seconds that do not ascend strictly within the day", () => {
    const w = writer();
    w.start();
    expect(() => w.day("HEART_RATE", DAY, day([0, 2, 2, 4], [1, 2, 3, 4]))).toThrow(RangeError);
    expect(() => w.day("HEART_RATE", DAY, day([0, 86_400], [1, 2]))).toThrow(RangeError);
  });

  it("refuses a bundle id or timestamp FHIR would not accept, and calls out of order", () => {
    const ok = { bundleId: "b", generatedAt: "2024-03-01T10:00:00Z", subject: SUBJECT };
    expect(() => new FhirBundleWriter({ ...ok, bundleId: "a_b" })).toThrow(RangeError);
    expect(() => new FhirBundleWriter({ ...ok, generatedAt: "2024-03-01" })).toThrow(RangeError);
    const w = new FhirBundleWriter(ok);
    expect(() => w.day("HEART_RATE", DAY, day([0], [1]))).toThrow(/between start/);
    w.start();
    expect(() => w.start()).toThrow();
    expect(() => w.day("HEART_RATE", DAY + 1, day([0], [1]))).toThrow(RangeError);
    w.end();
    expect(() => w.end()).toThrow();
  });
});

describe("FHIR Bundle: values round-trip", () => {
  it("writes a 1 Hz day with holes as one SampledData Observation that decodes to the samples", () => {
    const samples = oneHertz(0, 86_400, new Set([5, 6, 7, 1000, 50_000, 50_001, 86_398]));
    const found = observations(bundleOf([["HEART_RATE", DAY, samples]]));
    expect(found).toHaveLength(1);
    expect(found[0]?.valueSampledData?.period).toBe(1000);
    expect(found[0]?.valueSampledData?.data.startsWith("60 61 62 63 64 E E E 68")).toBe(true);
    expectDecodes(found, DAY, samples);
  });

  it("splits a day with a long gap into two runs", () => {
    const samples = day(
      [...oneHertz(0, 3600).seconds, ...oneHertz(82_800, 86_400).seconds],
      Array.from({ length: 7200 }, (_, i) => 12 + (i % 7) / 4),
    );
    const found = observations(bundleOf([["RESPIRATION_RATE", DAY, samples]]));
    expect(found.map((r) => [r.effectivePeriod?.start, r.effectivePeriod?.end])).toEqual([
      ["2023-01-01T00:00:00Z", "2023-01-01T00:59:59Z"],
      ["2023-01-01T23:00:00Z", "2023-01-01T23:59:59Z"],
    ]);
    expectDecodes(found, DAY, samples);
  });

  it("writes a sparse irregular day as one valueQuantity Observation per sample", () => {
    const samples = day([7, 700, 1013, 40_000, 86_399], [36.55, 36.6, 37.05, -0.5, 1e-7]);
    const found = observations(bundleOf([["TEMPERATURE", DAY, samples]]));
    expect(found).toHaveLength(5);
    expect(found.every((r) => r.valueQuantity && r.effectiveDateTime && !r.valueSampledData)).toBe(true);
    expect(found[0]?.effectiveDateTime).toBe("2023-01-01T00:00:07Z");
    expectDecodes(found, DAY, samples);
  });

  it("writes a dense day off its common step's grid as SampledData with a 1 s period", () => {
    const s = Array.from({ length: 43_200 }, (_, i) => 2 * i);
    for (let odd = 1; odd < 86_400; odd += 862) s.push(odd);
    s.sort((a, b) => a - b);
    const samples = day(
      s,
      s.map((x) => 60 + (x % 50)),
    );
    const found = observations(bundleOf([["HEART_RATE", DAY, samples]]));
    expect(found.map((r) => r.valueSampledData?.period)).toEqual([1000]);
    expectDecodes(found, DAY, samples);
  });

  it("keeps a minute grid as SampledData with a 60,000 ms period", () => {
    const s = Array.from({ length: 1440 }, (_, i) => i * 60 + 30).filter((x) => x % 7 !== 0);
    const samples = day(
      s,
      s.map((x) => x % 1000),
    );
    const found = observations(bundleOf([["ACTIVITY_COUNT", DAY, samples]]));
    expect(found.map((r) => r.valueSampledData?.period)).toEqual([60_000]);
    expectDecodes(found, DAY, samples);
  });

  it("writes a full 1 Hz day of every type as SampledData that decodes exactly", () => {
    for (const type of MEASUREMENT_TYPES) {
      const samples = fullDay(type);
      const found = observations(bundleOf([[type, DAY, samples]]));
      expect(found, type).toHaveLength(1);
      expectDecodes(found, DAY, samples);
    }
  });

  it.each(MEASUREMENT_TYPES)("random %s days decode back to the samples (property)", (type) => {
    const rng = prng(type.length * 31_337 + type.charCodeAt(3));
    const w = writer();
    let body = w.start();
    const days: [number, DaySamples][] = [];
    for (let trial = 0; trial < 20; trial++) {
      const dayEpoch = DAY + trial * 86_400 + int(rng, 0, 1) * 86_400 * 40;
      const samples = typeDay(type, rng);
      days.push([dayEpoch, samples]);
      body += w.day(type, dayEpoch, samples);
    }
    const bundle = JSON.parse(body + w.end()) as Bundle;
    const found = observations(bundle);
    expect(w.observations).toBe(found.length);
    expect(new Set(bundle.entry.map((e) => e.fullUrl)).size).toBe(bundle.entry.length);
    for (const [dayEpoch, samples] of days) {
      const ofDay = found.filter((r) => {
        const at = Date.parse(must(r.effectiveDateTime ?? r.effectivePeriod?.start, "effective[x]")) / 1000;
        return at >= dayEpoch && at < dayEpoch + 86_400;
      });
      expectDecodes(ofDay, dayEpoch, samples);
    }
  });
});

describe("FHIR Bundle: the SampledData decision", () => {
  it("takes the most common gap as the step and breaks runs at holes over 5 minutes and 10 steps", () => {
    expect(planRuns(Int32Array.of(0, 1, 2, 4, 5))).toEqual({ gap: 1, starts: [0], slots: 6 });
    const gap = RUN_BREAK_SECONDS + 1;
    expect(planRuns(Int32Array.of(0, 1, 2, 2 + gap, 3 + gap))).toEqual({ gap: 1, starts: [0, 3], slots: 5 });
    // A minute grid: a 10-step (600 s) hole stays inside the run, a longer one starts the next.
    const minutes = (second: number) => Array.from({ length: 5 }, (_, i) => second + 60 * i);
    expect(planRuns(Int32Array.from([...minutes(0), ...minutes(840)]))?.starts).toEqual([0]);
    expect(planRuns(Int32Array.from([...minutes(0), ...minutes(841)]))?.starts).toEqual([0, 5]);
  });

  it("falls back to a 1 s step for samples off their common step's grid", () => {
    expect(planRuns(Int32Array.of(0, 2, 4, 5, 7))).toEqual({ gap: 1, starts: [0], slots: 8 });
  });

  it("gives up when no grid is at least half full", () => {
    expect(planRuns(Int32Array.of(0, 4, 8, 12, 15, 19))).toBeNull();
    expect(planRuns(Int32Array.of(0, 10, 20, 30, 200, 290))).toBeNull();
    expect(planRuns(Int32Array.of(42))).toBeNull();
  });
});
