// Issue 12 figure 2: peak memory of streaming an export of 1 Hz HEART_RATE over DAYS days (argv[2]) through the real
// archive builder (store reads in windows, CSV rendering, deflate, CRC and SHA-256), in V8 under Node with
// --expose-gc. The source hands out encoded day chunks made on demand, as the UserStore does, so only what the
// builder keeps alive is measured; the emitted ZIP pieces are counted and dropped, as a response stream sends them.
// One process per range (bench/scenarios/export-memory.mjs), after a one-day warm-up export, so that module loading
// and the renderers' reused buffers are in the baseline and not charged to the first range. Memory is sampled after a
// full GC at every emitted piece: live heap + external (ArrayBuffers, Buffers). Prints one JSON line.
import { buildArchive } from "../src/exports/archive";
import type { ExportPlan } from "../src/exports/plan";
import type { ExportSource } from "../src/exports/source";
import { encodeChunk } from "../src/measurements/codec";
import { ownScope } from "../src/sharing/policy";

declare const gc: () => void;
const DAY = 86_400;
const DAY0 = 1_754_697_600;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

/** One day of plausible 1 Hz heart rate, encoded as the store keeps it. */
function chunk(day: number) {
  let x = (day / DAY) >>> 0;
  let hr = 62;
  const seconds = new Int32Array(DAY);
  const values = new Float64Array(DAY);
  const quality = new Uint8Array(DAY).fill(4);
  for (let i = 0; i < DAY; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    hr = Math.min(160, Math.max(45, hr + Math.round((x / 2 ** 32 - 0.5) * 3)));
    seconds[i] = i;
    values[i] = hr;
  }
  return encodeChunk({ seconds, values, quality });
}

const source: ExportSource = {
  async measurementDays(_owner, _type, startDay, endDay) {
    const days = [];
    for (let day = startDay; day <= endDay; day += DAY) {
      days.push({ day, data: chunk(day), count: DAY, created: "", updatedAt: "" });
    }
    return days;
  },
  records: async () => [],
  statistics: async () => [],
  profile: async () => ({ files: {}, person: {} }),
};

function planOf(days: number): ExportPlan {
  const startDay = new Date(DAY0 * 1000).toISOString().slice(0, 10);
  const endDay = new Date((DAY0 + (days - 1) * DAY) * 1000).toISOString().slice(0, 10);
  const scope = ownScope("uid_bench");
  const grant = {
    ownerId: "uid_bench",
    viewerId: "uid_bench",
    dataType: "HEART_RATE",
    viaShare: false,
    since: null,
    sinceMs: null,
  } as const;
  const plan: ExportPlan = {
    request: {
      callerId: "uid_bench",
      startDay,
      endDay,
      types: ["TIMELINE_TIME-SERIES_HEART-RATE"],
      userIds: [],
      format: "csv",
    },
    users: [
      {
        userId: "uid_bench",
        self: true,
        scope,
        sharedSince: null,
        types: [
          {
            exportType: "TIMELINE_TIME-SERIES_HEART-RATE",
            subject: { kind: "measurement", measurement: "HEART_RATE" },
            grant,
          },
        ],
        notShared: [],
      },
    ],
  };
  return plan;
}

async function measure(days: number) {
  // Warm-up: a one-day export, so the reused render buffer and compiled code are part of the baseline.
  for await (const _ of buildArchive(planOf(1), source, { generatedAt: new Date(), path: "/bench" })) {
  }
  gc();
  gc();
  const baseline = used();
  let livePeak = baseline;
  let bytes = 0;
  let pieces = 0;
  let ms = 0;
  let started = performance.now();
  for await (const piece of buildArchive(planOf(days), source, { generatedAt: new Date(), path: "/bench" })) {
    ms += performance.now() - started;
    bytes += piece.length;
    pieces++;
    gc();
    livePeak = Math.max(livePeak, used());
    started = performance.now();
  }
  const MiB = 1024 * 1024;
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    days,
    samples: days * DAY,
    zipMiB: r(bytes / MiB),
    ms: Math.round(ms),
    pieces,
    livePeakAboveBaselineMiB: r((livePeak - baseline) / MiB),
  };
}

console.log(JSON.stringify(await measure(Number(process.argv[2]))));
