// Issue 13 figure: peak memory of receiving a firmware binary of SIZE MB (argv[2]) through the admin form's path
// (src/routes/admin-firmware/create.ts): the streaming multipart reader, SHA-256 on the way, and the R2 multipart
// writer's 8 MiB parts, in V8 under Node with --expose-gc. The request arrives in 64 KiB chunks made on demand and
// the R2 side drops each part once "uploaded", so only what the receiving path keeps alive is measured.
// One process per size (bench/scenarios/firmware-memory.mjs). Prints one JSON line.
import { createHash } from "node:crypto";
import { R2PartWriter } from "../src/exports/part-writer";
import { readMultipart } from "../src/http/multipart-stream";

declare const gc: () => void;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

const size = Number(process.argv[2]) * 1_000_000;
const CHUNK = 64 * 1024;
const encoder = new TextEncoder();
const head = encoder.encode(
  '--bench\r\nContent-Disposition: form-data; name="version"\r\n\r\n1.0.0\r\n--bench\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\n\r\n',
);
const tail = encoder.encode("\r\n--bench--\r\n");

function request(): ReadableStream<Uint8Array> {
  let sent = -1;
  let x = 7;
  return new ReadableStream({
    pull(controller) {
      if (sent < 0) {
        sent = 0;
        return controller.enqueue(head);
      }
      if (sent >= size) {
        if (sent === size) {
          sent++;
          return controller.enqueue(tail);
        }
        return controller.close();
      }
      const n = Math.min(CHUNK, size - sent);
      const chunk = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
        chunk[i] = x >>> 24;
      }
      sent += n;
      controller.enqueue(chunk);
    },
  });
}

/** An R2 bucket whose multipart upload takes parts and keeps only their sizes. */
const bucket = {
  async createMultipartUpload() {
    let bytes = 0;
    return {
      async uploadPart(partNumber: number, body: Uint8Array) {
        bytes += body.length;
        return { partNumber, etag: String(partNumber) };
      },
      async complete() {
        return { size: bytes };
      },
      async abort() {},
    };
  },
} as unknown as R2Bucket;

gc();
gc();
const baseline = used();
let livePeak = baseline;
let chunks = 0;
let received = 0;
const started = performance.now();
const hash = createHash("sha256");
const writer = await R2PartWriter.start(bucket, "bench");
for await (const part of readMultipart(request(), "bench", {
  maxFieldBytes: 1024,
  maxFields: 10,
  maxHeaderBytes: 8192,
})) {
  if (part.name !== "file") {
    await part.text();
    continue;
  }
  for await (const chunk of part.body) {
    received += chunk.length;
    hash.update(chunk);
    await writer.write(chunk);
    if (++chunks % 16 === 0) {
      gc();
      livePeak = Math.max(livePeak, used());
    }
  }
}
await writer.finish();
hash.digest("hex");
const ms = performance.now() - started;
const MiB = 1024 * 1024;
console.log(
  JSON.stringify({
    sizeMB: size / 1e6,
    received,
    ms: Math.round(ms),
    livePeakAboveBaselineMiB: Math.round(((livePeak - baseline) / MiB) * 10) / 10,
  }),
);
