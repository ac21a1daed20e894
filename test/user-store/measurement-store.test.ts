import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DayAccumulator, decodeChunk, emptyDaySamples, encodeChunk } from "../../src/measurements";
import { checkpoints, type IncomingDay, ingestDays } from "../../src/user-store/measurement-store";
import { userStore } from "../../src/user-store/user-store";
import { DAY, DAY0 } from "../routes/measurement/helpers";

/**
 * The measurement store's merge inside a real UserStore's SQLite: the row's count, first_second and last_second
 * columns come with the incoming day for a new row and from the merged samples for an existing one.
 */

const freshStore = () => userStore(env, `measurement-store-test-${crypto.randomUUID()}`);
const NOW = "2025-08-10T00:00:00.000Z";

/** The accumulated days of samples at the given Unix seconds (value = second % 100, quality 4). */
function incoming(datetimes: number[]): IncomingDay[] {
  const accumulator = new DayAccumulator();
  for (const t of datetimes) accumulator.add(t, t % 100, 4);
  return accumulator.finish().days;
}

const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

type Row = {
  day: number;
  count: number;
  first_second: number;
  last_second: number;
  data: ArrayBuffer;
};

function rows(sql: SqlStorage): Row[] {
  return sql
    .exec<Row>("SELECT day, count, first_second, last_second, data FROM chunks WHERE type = 'HEART_RATE' ORDER BY day")
    .toArray();
}

/** A row's columns beside what its chunk actually holds. */
function columnsAndChunk(row: Row) {
  const { seconds } = decodeChunk(new Uint8Array(row.data));
  return {
    columns: [row.count, row.first_second, row.last_second],
    chunk: [seconds.length, seconds[0], seconds[seconds.length - 1]],
  };
}

describe("ingestDays: stored count and bounds", () => {
  it("inserts a new day with the count, first and last second it came with", async () => {
    await runInDurableObject(freshStore(), (_instance, state) => {
      const sql = state.storage.sql;
      const days = incoming([...span(DAY0 + 100, DAY0 + 199), DAY0 + DAY + 7]);
      const result = state.storage.transactionSync(() => ingestDays(sql, "HEART_RATE", days, NOW));
      expect(result).toMatchObject({ samplesAccepted: 101, samplesReplaced: 0, daysTouched: 2 });
      const [first, second] = rows(sql);
      expect(first).toMatchObject({ day: DAY0, count: 100, first_second: 100, last_second: 199 });
      expect(second).toMatchObject({ day: DAY0 + DAY, count: 1, first_second: 7, last_second: 7 });
      expect(new Uint8Array(first?.data ?? new ArrayBuffer(0))).toEqual(days[0]?.chunk);
      expect(checkpoints(sql)).toEqual([{ type: "HEART_RATE", lastDatetime: DAY0 + DAY + 7, count: 101, days: 2 }]);
    });
  });

  it("sets the columns from the merged samples when the day exists: extended at both ends, overlap replaced", async () => {
    await runInDurableObject(freshStore(), (_instance, state) => {
      const sql = state.storage.sql;
      state.storage.transactionSync(() => ingestDays(sql, "HEART_RATE", incoming(span(DAY0 + 100, DAY0 + 199)), NOW));
      const later = incoming([...span(DAY0 + 50, DAY0 + 149), DAY0 + 86_399]);
      const result = state.storage.transactionSync(() => ingestDays(sql, "HEART_RATE", later, NOW));
      expect(result).toMatchObject({ samplesAccepted: 101, samplesReplaced: 50, daysTouched: 1 });
      const [row] = rows(sql);
      expect(row).toMatchObject({ count: 151, first_second: 50, last_second: 86_399 });
      const { columns, chunk } = columnsAndChunk(row as Row);
      expect(columns).toEqual(chunk);
    });
  });

  it("keeps the columns when the incoming samples lie inside the stored ones", async () => {
    await runInDurableObject(freshStore(), (_instance, state) => {
      const sql = state.storage.sql;
      state.storage.transactionSync(() => ingestDays(sql, "HEART_RATE", incoming([DAY0, DAY0 + 1000]), NOW));
      state.storage.transactionSync(() => ingestDays(sql, "HEART_RATE", incoming([DAY0 + 500]), NOW));
      const [row] = rows(sql);
      expect(row).toMatchObject({ count: 3, first_second: 0, last_second: 1000 });
      const { columns, chunk } = columnsAndChunk(row as Row);
      expect(columns).toEqual(chunk);
    });
  });

  it("is idempotent: the same days again replace every sample and leave data and columns as they were", async () => {
    await runInDurableObject(freshStore(), (_instance, state) => {
      const sql = state.storage.sql;
      const days = incoming([...span(DAY0 + 10, DAY0 + 20), ...span(DAY0 + DAY, DAY0 + DAY + 4)]);
      state.storage.transactionSync(() => ingestDays(sql, "HEART_RATE", days, NOW));
      const before = rows(sql);
      const again = state.storage.transactionSync(() => ingestDays(sql, "HEART_RATE", days, NOW));
      expect(again).toMatchObject({ samplesAccepted: 16, samplesReplaced: 16, daysTouched: 2 });
      const after = rows(sql);
      expect(after.map(({ data, ...columns }) => columns)).toEqual(before.map(({ data, ...columns }) => columns));
      expect(after.map((r) => new Uint8Array(r.data))).toEqual(before.map((r) => new Uint8Array(r.data)));
    });
  });

  it("skips a day that carries no samples", async () => {
    await runInDurableObject(freshStore(), (_instance, state) => {
      const sql = state.storage.sql;
      const empty = { day: DAY0, chunk: encodeChunk(emptyDaySamples()), count: 0, firstSecond: 0, lastSecond: 0 };
      const result = state.storage.transactionSync(() => ingestDays(sql, "HEART_RATE", [empty], NOW));
      expect(result).toMatchObject({ samplesAccepted: 0, daysTouched: 0 });
      expect(rows(sql)).toEqual([]);
    });
  });
});
