import { MAX_NUMBER_BYTES, writeNumber, writeUint } from "../lib/ascii-number";
import { SECONDS_PER_DAY } from "../lib/time";
import type { DaySamples } from "../measurements/day-samples";
import { COLUMN_SPECS, MEASUREMENT_TYPES, type MeasurementType } from "../measurements/types";
import { assertDayEpoch, isoDate, utf8, writeBytes, writeClock } from "./ascii";
import { CATEGORY, FHIR_CODES, LOINC, NOWATCH_DISPLAY, NOWATCH_MEASUREMENT_TYPES, UCUM } from "./fhir-codes";
import { assertAscending, planRuns } from "./fhir-runs";

export { FHIR_CODES, type FhirCode, NOWATCH_MEASUREMENT_TYPES } from "./fhir-codes";
export { planRuns, RUN_BREAK_SECONDS, RUN_BREAK_STEPS, type RunPlan } from "./fhir-runs";

/**
 * A user's measurements as one FHIR R4 Bundle (hl7.org/fhir/R4/bundle.html) of type `collection`, written as text
 * pieces so that a ZIP writer can stream it: start() + day()* + end() is one JSON document, also with no
 * Observation at all.
 *
 * - Entries have `fullUrl` `urn:uuid:…` and resources refer to each other by it (R4 bundle.html "Resolving
 *   references in Bundles"). The UUIDs are deterministic (RFC 9562 §5.8, version 8): 60 bits of an FNV-1a hash of
 *   the user id, then the entry's kind, type, day and first second. A re-export names the same Observation the same,
 *   and no two entries of one user's bundle can share a UUID.
 * - The Patient is the subject. Its `id` is its UUID, not the NOWATCH user id: that has 68 characters and an "_",
 *   and an R4 `id` is 1-64 of [A-Za-z0-9\-.] (R4 datatypes.html#id). The user id is the Patient's `identifier`.
 *   Gender maps to administrative-gender (female | male | other); a birth date that is no R4 `date` is left out.
 * - An Observation is `final`, has a category (fhir-codes.ts), a `code` whose codings are the type's LOINC or
 *   NOWATCH code and always the NOWATCH measurement-type coding, and the Patient as `subject`.
 * - The quality indicator is not carried: R4 has no element for a 0-4 device score. The CSV and NDJSON exports keep it.
 *
 * Dense series become SampledData (R4 datatypes.html#SampledData): `origin` 0 in the type's UCUM unit, `period`
 * in milliseconds, `dimensions` 1, `data` the values in the shortest round-trip form (ascii.ts) separated by single
 * spaces, "E" for a slot without a sample, and `effectivePeriod` from the first to the last sample. Per (type, day),
 * decided by fhir-runs.ts:
 *
 * 1. The grid step is the most common gap between consecutive seconds (the smaller one on a tie).
 * 2. The day splits into runs where the next sample is more than 5 minutes and more than 10 steps later: a hole
 *    inside a run costs at most ~300 "E"s (600 bytes, about one Observation's own size), a night off the wrist
 *    starts a new run instead.
 * 3. If every sample of every run lies on its run's grid (first + k * step) and the samples fill at least half of
 *    the runs' slots, each run is one Observation with SampledData (a run of one sample: valueQuantity). If not,
 *    steps 2-3 are tried once more with a 1 s step, on whose grid every sample lies. Otherwise every sample is one
 *    Observation with `valueQuantity` and `effectiveDateTime`.
 *
 * Runs end at UTC midnight, as the days are rendered one by one. Caveat: R4 says an implementation that supports a
 * listed vital sign SHALL conform to its profile (observation-vitalsigns.html), and the heart rate, respiratory rate
 * and body temperature profiles take valueQuantity only. The per-sample Observations conform; the SampledData ones
 * keep the LOINC code for its meaning but do not meet those profiles (and do not claim them in meta.profile).
 * The text of an Observation is written as bytes into one reused buffer and decoded once, like csv.ts.
 */

export interface FhirSubject {
  /** The NOWATCH user id. */
  id: string;
  name?: { given?: string; family?: string };
  gender?: "FEMALE" | "MALE" | "OTHER" | null;
  /** YYYY-MM-DD; left out unless it is an R4 `date`. */
  birthDate?: string | null;
}

export interface FhirBundleOptions {
  /** Bundle.id, an R4 `id` (e.g. the export's UUID). */
  bundleId: string;
  /** Bundle.timestamp, an R4 `instant` (e.g. new Date().toISOString()). */
  generatedAt: string;
  subject: FhirSubject;
  /** Origin of the deployment, the namespace of its user ids (Patient.identifier.system). */
  baseUrl?: string;
}

const DEFAULT_BASE_URL = "https://api.nowatch.tech";
const CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
const GENDER = { FEMALE: "female", MALE: "male", OTHER: "other" } as const;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const FHIR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const FHIR_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

const OPEN = utf8(',{"fullUrl":"urn:uuid:');
const RESOURCE = utf8('","resource":{"resourceType":"Observation","id":"');
const PERIOD_START = utf8('"effectivePeriod":{"start":"');
const PERIOD_END = utf8('Z","end":"');
const ORIGIN = utf8('Z"},"valueSampledData":{"origin":{"value":0,');
const PERIOD = utf8('},"period":');
const DATA = utf8(',"dimensions":1,"data":"');
const DATA_END = utf8('"}}}');
const DATE_TIME = utf8('"effectiveDateTime":"');
const QUANTITY = utf8('Z","valueQuantity":{"value":');
const QUANTITY_END = utf8("}}}");
/** Everything of an Observation but its lead and unit: the constants, two UUIDs, two times, a period, a value. */
const OBSERVATION_BYTES =
  [OPEN, RESOURCE, PERIOD_START, PERIOD_END, ORIGIN, PERIOD, DATA, DATA_END].reduce((sum, b) => sum + b.length, 0) +
  2 * 36 +
  2 * 20 +
  8 +
  MAX_NUMBER_BYTES +
  16;

/** `"unit":"bpm","system":"http://unitsofmeasure.org","code":"/min"` per type. */
const UNITS = MEASUREMENT_TYPES.map((type) =>
  utf8(
    `"unit":${JSON.stringify(COLUMN_SPECS[type].unit)},"system":"${UCUM}","code":${JSON.stringify(FHIR_CODES[type].unit)}`,
  ),
);

// Reused across calls: day() decodes it before returning.
let buffer = new Uint8Array(0);

export class FhirBundleWriter {
  readonly #start: string;
  /** The first 19 characters of every UUID of this subject, `xxxxxxxx-xxxx-8xxx-`. */
  readonly #uuidHead: Uint8Array;
  /** Per type: `","status":"final","category":…,"code":…,"subject":…,`, made on first use. */
  readonly #leads: (Uint8Array | undefined)[] = [];
  readonly #subjectReference: string;
  #observations = 0;
  #state: "new" | "open" | "closed" = "new";

  constructor(options: FhirBundleOptions) {
    const { bundleId, generatedAt, subject } = options;
    if (!FHIR_ID.test(bundleId)) throw new RangeError(`bundleId must be an R4 id (got ${JSON.stringify(bundleId)})`);
    if (!FHIR_INSTANT.test(generatedAt) || Number.isNaN(Date.parse(generatedAt))) {
      throw new RangeError(`generatedAt must be an R4 instant (got ${JSON.stringify(generatedAt)})`);
    }
    const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    const [hi, lo] = fnv1a64(subject.id);
    this.#uuidHead = utf8(`${hex(hi, 8)}-${hex(lo >>> 16, 4)}-8${hex(lo & 0xfff, 3)}-`);
    const patientUuid = this.#uuid(1, 0, 0, 0);
    this.#subjectReference = `"subject":{"reference":"urn:uuid:${patientUuid}"},`;
    const patient = patientResource(patientUuid, subject, baseUrl);
    this.#start =
      `{"resourceType":"Bundle","id":${JSON.stringify(bundleId)},"type":"collection",` +
      `"timestamp":${JSON.stringify(generatedAt)},"entry":[` +
      `{"fullUrl":"urn:uuid:${patientUuid}","resource":${JSON.stringify(patient)}}`;
  }

  /** Observations written so far. */
  get observations(): number {
    return this.#observations;
  }

  /** The Bundle's opening and its Patient entry; once, first. */
  start(): string {
    if (this.#state !== "new") throw new Error("FhirBundleWriter: start() comes once, first");
    this.#state = "open";
    return this.#start;
  }

  /**
   * The Observation entries of one type's UTC day, each starting with ","; "" for a day without samples. Call it
   * between start() and end(). `dayEpoch` is the Unix seconds of the day's midnight.
   */
  day(type: MeasurementType, dayEpoch: number, samples: DaySamples): string {
    if (this.#state !== "open") throw new Error("FhirBundleWriter: day() goes between start() and end()");
    assertDayEpoch(dayEpoch);
    const { seconds } = samples;
    const n = seconds.length;
    if (n === 0) return "";
    assertAscending(seconds);
    const plan = planRuns(seconds);
    const typeIndex = MEASUREMENT_TYPES.indexOf(type);
    const lead = this.#lead(type, typeIndex);
    const unit = UNITS[typeIndex] as Uint8Array;
    const perObservation = OBSERVATION_BYTES + lead.length + unit.length;
    const size = plan === null ? n * perObservation : plan.starts.length * perObservation + plan.slots * 26;
    if (buffer.length < size) buffer = new Uint8Array(size);
    const out: Output = {
      buf: buffer,
      pos: 0,
      head: this.#uuidHead,
      tail: uuidTail(0, typeIndex, dayEpoch / SECONDS_PER_DAY),
      lead,
      unit,
      date: utf8(`${isoDate(dayEpoch)}T`),
    };
    if (plan === null) {
      for (let i = 0; i < n; i++) writeQuantity(out, samples, i);
      this.#observations += n;
    } else {
      const { starts } = plan;
      for (let r = 0; r < starts.length; r++) {
        const from = starts[r] as number;
        const to = r + 1 < starts.length ? (starts[r + 1] as number) : n;
        if (to - from === 1) writeQuantity(out, samples, from);
        else writeSampled(out, samples, from, to, plan.gap);
      }
      this.#observations += starts.length;
    }
    return decoder.decode(out.buf.subarray(0, out.pos));
  }

  /** The Bundle's closing `]}`; once, last. */
  end(): string {
    if (this.#state !== "open") throw new Error("FhirBundleWriter: end() comes once, after start()");
    this.#state = "closed";
    return "]}";
  }

  #lead(type: MeasurementType, index: number): Uint8Array {
    const cached = this.#leads[index];
    if (cached !== undefined) return cached;
    const primary = FHIR_CODES[type];
    const codings = [{ system: primary.system, code: primary.code, display: primary.display }];
    if (primary.system === LOINC) {
      codings.push({ system: NOWATCH_MEASUREMENT_TYPES, code: type, display: NOWATCH_DISPLAY[type] });
    }
    const category = [{ coding: [{ system: CATEGORY_SYSTEM, code: CATEGORY[type] }] }];
    const lead = utf8(
      `","status":"final","category":${JSON.stringify(category)},` +
        `"code":${JSON.stringify({ coding: codings, text: NOWATCH_DISPLAY[type] })},${this.#subjectReference}`,
    );
    this.#leads[index] = lead;
    return lead;
  }

  #uuid(kind: number, typeIndex: number, day: number, second: number): string {
    const bytes = new Uint8Array(36);
    bytes.set(this.#uuidHead);
    writeUuidTail(bytes, 19, uuidTail(kind, typeIndex, day), second);
    return decoder.decode(bytes);
  }
}

const decoder = new TextDecoder();

interface Output {
  buf: Uint8Array;
  pos: number;
  head: Uint8Array;
  /** The UUID payload of the (type, day) without its second (uuidTail). */
  tail: number;
  lead: Uint8Array;
  unit: Uint8Array;
  /** `YYYY-MM-DDT` of the day. */
  date: Uint8Array;
}

function writeQuantity(out: Output, samples: DaySamples, i: number): void {
  const second = samples.seconds[i] as number;
  writeOpening(out, second);
  const buf = out.buf;
  let pos = writeBytes(buf, out.pos, DATE_TIME);
  pos = writeTime(buf, pos, out.date, second);
  pos = writeBytes(buf, pos, QUANTITY);
  pos = writeNumber(buf, pos, samples.values[i] as number);
  buf[pos++] = 44; // ,
  pos = writeBytes(buf, pos, out.unit);
  out.pos = writeBytes(buf, pos, QUANTITY_END);
}

function writeSampled(out: Output, samples: DaySamples, from: number, to: number, gap: number): void {
  const { seconds, values } = samples;
  writeOpening(out, seconds[from] as number);
  const buf = out.buf;
  let pos = writeBytes(buf, out.pos, PERIOD_START);
  pos = writeTime(buf, pos, out.date, seconds[from] as number);
  pos = writeBytes(buf, pos, PERIOD_END);
  pos = writeTime(buf, pos, out.date, seconds[to - 1] as number);
  pos = writeBytes(buf, pos, ORIGIN);
  pos = writeBytes(buf, pos, out.unit);
  pos = writeBytes(buf, pos, PERIOD);
  pos = writeUint(buf, pos, gap * 1000);
  pos = writeBytes(buf, pos, DATA);
  pos = writeNumber(buf, pos, values[from] as number);
  for (let i = from + 1; i < to; i++) {
    // Within a run every gap is a multiple of the step (planRuns); each missing slot is one " E".
    for (let missing = ((seconds[i] as number) - (seconds[i - 1] as number)) / gap - 1; missing > 0; missing--) {
      buf[pos++] = 32;
      buf[pos++] = 69; // E
    }
    buf[pos++] = 32;
    pos = writeNumber(buf, pos, values[i] as number);
  }
  out.pos = writeBytes(buf, pos, DATA_END);
}

/** `,{"fullUrl":"urn:uuid:U","resource":{"resourceType":"Observation","id":"U` + the type's lead. */
function writeOpening(out: Output, second: number): void {
  const buf = out.buf;
  let pos = writeBytes(buf, out.pos, OPEN);
  const uuid = pos;
  pos = writeBytes(buf, pos, out.head);
  pos = writeUuidTail(buf, pos, out.tail, second);
  pos = writeBytes(buf, pos, RESOURCE);
  buf.copyWithin(pos, uuid, uuid + 36);
  out.pos = writeBytes(buf, pos + 36, out.lead);
}

/** `YYYY-MM-DDTHH:MM:SS` (the caller writes the "Z"): seconds, no fraction, UTC. */
function writeTime(buf: Uint8Array, pos: number, date: Uint8Array, second: number): number {
  return writeClock(buf, writeBytes(buf, pos, date), second);
}

/**
 * The UUID payload after the subject hash: 1 bit kind (0 Observation, 1 Patient), 4 bits type, 20 bits day number,
 * 17 bits second; here without the second, which writeUuidTail adds. 42 bits of the 62 the variant leaves.
 */
function uuidTail(kind: number, typeIndex: number, day: number): number {
  return kind * 2 ** 41 + typeIndex * 2 ** 37 + day * 2 ** 17;
}

/** The last 17 characters of a UUID, `vxxx-xxxxxxxxxxxx`, with the RFC 9562 variant bits 10. */
function writeUuidTail(buf: Uint8Array, pos: number, tail: number, second: number): number {
  const payload = tail + second;
  const hi = Math.floor(payload / 2 ** 32);
  const lo = payload - hi * 2 ** 32;
  const word = (0x80000000 | hi) >>> 0;
  let at = writeHex(buf, pos, word >>> 16, 4);
  buf[at++] = 45; // -
  at = writeHex(buf, at, word & 0xffff, 4);
  return writeHex(buf, at, lo, 8);
}

const HEX = utf8("0123456789abcdef");

function writeHex(buf: Uint8Array, pos: number, value: number, digits: number): number {
  let v = value;
  for (let at = pos + digits - 1; at >= pos; at--) {
    buf[at] = HEX[v & 15] as number;
    v >>>= 4;
  }
  return pos + digits;
}

const hex = (value: number, digits: number): string => (value >>> 0).toString(16).padStart(digits, "0");

/** 64-bit FNV-1a of the UTF-8 bytes (draft-eastlake-fnv), as its high and low 32 bits. */
function fnv1a64(text: string): [number, number] {
  let h = 0xcbf29ce484222325n;
  for (const byte of utf8(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return [Number(h >> 32n), Number(h & 0xffffffffn)];
}

function patientResource(uuid: string, subject: FhirSubject, baseUrl: string): Record<string, unknown> {
  const patient: Record<string, unknown> = {
    resourceType: "Patient",
    id: uuid,
    identifier: [{ system: `${baseUrl}/fhir/NamingSystem/user-id`, value: subject.id }],
  };
  const family = subject.name?.family?.trim();
  const given = subject.name?.given?.trim();
  if (family || given) {
    patient.name = [{ ...(family ? { family } : {}), ...(given ? { given: [given] } : {}) }];
  }
  if (subject.gender) patient.gender = GENDER[subject.gender];
  if (subject.birthDate && FHIR_DATE.test(subject.birthDate)) patient.birthDate = subject.birthDate;
  return patient;
}
