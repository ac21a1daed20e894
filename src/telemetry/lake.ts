import { LIMITS } from "../lib/limits";
import { DAY_MS } from "../lib/time";
import { SIGNALS, type Signal } from "./records";

/**
 * The telemetry lake in the TELEMETRY bucket (docs/telemetry.md "The lake"): gzip NDJSON objects at
 * `<signal>/<YYYY-MM-DD>/<HH>/<shard>-<first>-<last>.ndjson.gz`, the day and hour (UTC) those records were received,
 * the shard that buffered them and the sequence range of its rows. Object metadata holds the record and raw byte
 * counts, so a listing needs no reads.
 */

export type LakeObject = {
  key: string;
  metadata: { records: string; bytes: string; shard: string };
};

export type ListedObject = {
  key: string;
  signal: Signal;
  day: string;
  hour: string;
  size: number;
  records: number;
  bytes: number;
  uploadedAt: string;
};

const pad = (n: number) => String(n).padStart(12, "0");

/** `hour` is `YYYY-MM-DDTHH` (UTC). */
export function objectKey(signal: Signal, hour: string, shard: string, first: number, last: number): string {
  return `${signal}/${hour.slice(0, 10)}/${hour.slice(11, 13)}/${shard}-${pad(first)}-${pad(last)}.ndjson.gz`;
}

export const KEY_PATTERN = /^(traces|metrics|logs)\/(\d{4}-\d{2}-\d{2})\/(\d{2})\/[0-9a-z]+-\d{12}-\d{12}\.ndjson\.gz$/;

export const hourPrefix = (signal: Signal, day: string, hour?: number) =>
  hour === undefined ? `${signal}/${day}/` : `${signal}/${day}/${String(hour).padStart(2, "0")}/`;

function listed(object: R2Object): ListedObject | null {
  const match = KEY_PATTERN.exec(object.key);
  if (!match) return null;
  return {
    key: object.key,
    signal: match[1] as Signal,
    day: match[2] as string,
    hour: match[3] as string,
    size: object.size,
    records: Number(object.customMetadata?.records ?? 0),
    bytes: Number(object.customMetadata?.bytes ?? 0),
    uploadedAt: object.uploaded.toISOString(),
  };
}

/** One page of a prefix's objects, in key order (so by hour, then shard and sequence). */
export async function listObjects(
  bucket: R2Bucket,
  prefix: string,
  cursor?: string,
  limit: number = LIMITS.telemetryListPage,
): Promise<{ objects: ListedObject[]; cursor: string | null }> {
  const page = await bucket.list({ prefix, cursor, limit, include: ["customMetadata"] });
  const objects = page.objects.map(listed).filter((o): o is ListedObject => o !== null);
  return { objects, cursor: page.truncated ? page.cursor : null };
}

/** Every object under a prefix. */
export async function allObjects(bucket: R2Bucket, prefix: string): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let cursor: string | undefined;
  do {
    const page = await listObjects(bucket, prefix, cursor);
    out.push(...page.objects);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return out;
}

/** Calls `onLine` with each NDJSON line of an object, decompressing as it streams. */
export async function eachLine(bucket: R2Bucket, key: string, onLine: (line: string) => void): Promise<void> {
  const object = await bucket.get(key);
  if (!object) return; // removed by the retention sweep meanwhile
  const text = object.body.pipeThrough(new DecompressionStream("gzip")).pipeThrough(new TextDecoderStream());
  let rest = "";
  for await (const chunk of text) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    for (const line of parts) if (line !== "") onLine(line);
  }
  if (rest !== "") onLine(rest);
}

/**
 * The retention sweep (docs/telemetry.md "Retention"): deletes every object of a day older than
 * LIMITS.telemetryRetentionDays. Days are whole prefixes, so the sweep lists only the days past the bound.
 */
export async function sweepTelemetry(env: Env, now: Date): Promise<{ deleted: number }> {
  const cutoff = new Date(now.getTime() - LIMITS.telemetryRetentionDays * DAY_MS).toISOString().slice(0, 10);
  let deleted = 0;
  for (const signal of SIGNALS) {
    const days: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await env.TELEMETRY.list({ prefix: `${signal}/`, delimiter: "/", cursor });
      for (const prefix of page.delimitedPrefixes) {
        const day = prefix.slice(signal.length + 1, -1);
        if (day < cutoff) days.push(day);
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    for (const day of days) {
      let more = true;
      while (more) {
        const page = await env.TELEMETRY.list({ prefix: `${signal}/${day}/`, limit: 1000 });
        if (page.objects.length > 0) await env.TELEMETRY.delete(page.objects.map((o) => o.key));
        deleted += page.objects.length;
        more = page.truncated;
      }
    }
  }
  return { deleted };
}
