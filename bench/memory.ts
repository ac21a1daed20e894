// Peak memory of an upload of DAYS days of 1 Hz heart rate (31: 2.68 M rows, an 8 MB zip), in V8 under Node with
// --expose-gc: the JS heap plus ArrayBuffers above the baseline before the upload arrives, sampled at every piece
// (garbage included) and, every 4th piece, right after a full collection (what the upload keeps alive). Two paths:
// - streamed: what POST /v1/measurement/upload does, the route's own reader (`readUpload`) over a multipart body
//   that arrives in 64 KiB pieces, read from a file as a socket would deliver it;
// - whole: the file read into memory first and unpacked from there (the path a zip with data descriptors takes,
//   and the one the upload took before it streamed).
// `node --expose-gc --import tsx --import ./scripts/openapi/register.mjs bench/memory.ts streamed|whole DAYS`; the
// memory scenario runs each path for 31 and 90 days, each in its own process. Prints one JSON line.
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { DayAccumulator } from "../src/measurements/accumulator";
import { decompressUpload } from "../src/measurements/archive";
import { createCsvParser } from "../src/measurements/csv";
import { readUpload } from "../src/routes/measurement/upload";

declare const gc: () => void;
const DAY0 = 1_754_697_600;
const NOW = DAY0 + 400 * 86_400;
const MiB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
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

const dir = mkdtempSync(join(tmpdir(), "nowatch-bench-memory-"));
const zipPath = join(dir, "month.zip");
const path = process.argv[2] === "whole" ? "whole" : "streamed";
const days = Number(process.argv[3] ?? 31);
const zipBytes = (() => {
  const zip = zipSync({ "month.csv": strToU8(csv(days * 86_400)) });
  writeFileSync(zipPath, zip);
  return zip.length;
})();

/** Samples memory; `settle` collects first (every 16th sample). */
class Meter {
  baseline = 0;
  peak = 0;
  livePeak = 0;
  #samples = 0;

  async start(): Promise<void> {
    // Let earlier temporaries go before the baseline.
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    gc();
    this.baseline = used();
    this.peak = this.baseline;
    this.livePeak = this.baseline;
  }

  sample(): void {
    this.peak = Math.max(this.peak, used());
    if (++this.#samples % 4 === 0) {
      gc();
      this.livePeak = Math.max(this.livePeak, used());
    }
  }

  report(extra: Record<string, number>) {
    this.sample();
    return {
      ...extra,
      peakAboveBaselineMiB: mib(this.peak - this.baseline),
      livePeakAboveBaselineMiB: mib(this.livePeak - this.baseline),
    };
  }
}

const chunksMiB = (days: { chunk: Uint8Array }[]) => mib(days.reduce((n, d) => n + d.chunk.length, 0));

async function streamed() {
  const meter = new Meter();
  await meter.start();
  const boundary = "nowatchbenchboundary";
  const head = new TextEncoder().encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nHEART_RATE\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="month.zip"\r\nContent-Type: application/zip\r\n\r\n`,
  );
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const file = createReadStream(zipPath, { highWaterMark: 64 * 1024 })[Symbol.asyncIterator]();
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      meter.sample();
      if (stage === 0) {
        stage = 1;
        controller.enqueue(head);
        return;
      }
      if (stage === 1) {
        const next = await file.next();
        if (!next.done) {
          controller.enqueue(new Uint8Array(next.value as Buffer));
          return;
        }
        stage = 2;
        controller.enqueue(tail);
        return;
      }
      controller.close();
    },
  });
  const request = new Request("http://bench/v1/measurement/upload", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: "half",
  } as RequestInit);
  const { upload } = await readUpload(request, NOW);
  return meter.report({ rows: upload.stats.rows, chunksMiB: chunksMiB(upload.days) });
}

async function whole() {
  const meter = new Meter();
  await meter.start();
  const bytes = new Uint8Array(readFileSync(zipPath));
  const accumulator = new DayAccumulator();
  const parser = createCsvParser("HEART_RATE", accumulator, { now: NOW });
  await decompressUpload(
    bytes,
    (piece) => {
      parser.push(piece);
      meter.sample();
    },
    { maxBytes: 256 * MiB },
  );
  parser.end();
  const upload = accumulator.finish();
  return meter.report({ rows: upload.stats.rows, chunksMiB: chunksMiB(upload.days) });
}

try {
  const result = path === "whole" ? await whole() : await streamed();
  console.log(JSON.stringify({ path, days, zipMiB: mib(zipBytes), ...result }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
