// Peak memory of parsing a 31-day upload (2.68 M rows) through the upload pipeline (native inflate, streaming CSV
// parser, day accumulator), in V8 under Node with --expose-gc: the JS heap plus ArrayBuffers above the baseline
// before the upload arrives, sampled at every decompressed piece (garbage included) and, every 64th piece, right
// after a full collection (what the upload keeps alive). `npm run bench` runs it; prints one JSON line.
import { strToU8, zipSync } from "fflate";
import { DayAccumulator } from "../src/measurements/accumulator";
import { decompressUpload } from "../src/measurements/archive";
import { createCsvParser } from "../src/measurements/csv";

declare const gc: () => void;
const DAY0 = 1_754_697_600;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

function csv(seconds: number): string {
  let x = 7;
  let hr = 62;
  const lines = ["datetime,value,quality_indicator"];
  for (let i = 0; i < seconds; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    hr = Math.min(160, Math.max(45, hr + Math.round((x / 2 ** 32 - 0.5) * 3)));
    lines.push(`${DAY0 + i},${hr},4`);
  }
  return `${lines.join("\n")}\n`;
}

const zip = zipSync({ "month.csv": strToU8(csv(31 * 86_400)) });
// Let the generator's temporaries go before the baseline: only the upload's own bytes (the zip) remain.
await new Promise((resolve) => setTimeout(resolve, 50));
gc();
gc();
const baseline = used();
let peak = baseline;
let livePeak = baseline;
let pieces = 0;
const accumulator = new DayAccumulator();
const parser = createCsvParser("HEART_RATE", accumulator, { now: DAY0 + 40 * 86_400 });
await decompressUpload(
  zip,
  (piece) => {
    parser.push(piece);
    peak = Math.max(peak, used());
    // Every 64th piece, collect first: what the upload really keeps alive, garbage excluded.
    if (++pieces % 64 === 0) {
      gc();
      livePeak = Math.max(livePeak, used());
    }
  },
  { maxBytes: 256 * 1024 * 1024 },
);
parser.end();
const upload = accumulator.finish();
peak = Math.max(peak, used());
const MiB = 1024 * 1024;
console.log(
  JSON.stringify({
    rows: upload.stats.rows,
    zipMiB: Math.round((zip.length / MiB) * 10) / 10,
    chunksMiB: Math.round((upload.days.reduce((n, d) => n + d.chunk.length, 0) / MiB) * 10) / 10,
    baselineMiB: Math.round((baseline / MiB) * 10) / 10,
    peakMiB: Math.round((peak / MiB) * 10) / 10,
    peakAboveBaselineMiB: Math.round(((peak - baseline) / MiB) * 10) / 10,
    livePeakAboveBaselineMiB: Math.round(((livePeak - baseline) / MiB) * 10) / 10,
    isolateLimitMiB: 128,
  }),
);
