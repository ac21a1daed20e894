import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { StatisticSchema } from "../../../src/routes/statistics/schemas";
import { STATISTIC_TYPES } from "../../../src/statistics/types";
import { call, expectBody, expectError, newUser } from "../../helpers";

/** GET /v1/statistics: the query rules, the document shape and the local days, on an account with no data. */
const Statistics = z.array(StatisticSchema);
const path = (query: string) => `/v1/statistics?${query}`;

describe("GET /v1/statistics: bad input", () => {
  it.each([
    ["no type", "start_day=2025-08-01&end_day=2025-08-02", "type"],
    ["an unknown type", "start_day=2025-08-01&end_day=2025-08-02&type=SLEEP_DURATION,NAPS", "NAPS"],
    ["an empty type", "start_day=2025-08-01&end_day=2025-08-02&type=", "type"],
    ["a bad day", "start_day=2025-13-01&end_day=2025-08-02&type=SLEEP_DURATION", "start_day"],
    ["no end day", "start_day=2025-08-01&type=SLEEP_DURATION", "end_day"],
    ["start after end", "start_day=2025-08-03&end_day=2025-08-02&type=SLEEP_DURATION", "start_day"],
    ["367 days", "start_day=2024-01-01&end_day=2025-01-01&type=SLEEP_DURATION", "366"],
    [
      "an unknown zone",
      "start_day=2025-08-01&end_day=2025-08-02&type=SLEEP_DURATION&time_zone=Mars/Olympus",
      "time_zone",
    ],
    ["an unknown span", "start_day=2025-08-01&end_day=2025-08-02&type=SLEEP_DURATION&time_span=YEAR", "time_span"],
  ])("%s: 400 in the error body", async (_name, query, mention) => {
    const user = await newUser("stats-bad");
    const res = await call("GET", path(query), { token: user.access });
    expectError(res, 400);
    expect(res.body.message.join(" ")).toContain(mention);
  });

  it("366 days are accepted", async () => {
    const user = await newUser("stats-366");
    const res = await call("GET", path("start_day=2024-01-01&end_day=2024-12-31&type=DAYTIME_RESTING_HEART_RATE"), {
      token: user.access,
    });
    expect(expectBody(res, 200, Statistics)).toHaveLength(366);
  });

  it("answers 401 without a token", async () => {
    expectError(await call("GET", path("start_day=2025-08-01&end_day=2025-08-01&type=SLEEP_DURATION")), 401);
  });
});

describe("GET /v1/statistics: documents", () => {
  it("one document per type and day, ordered by date then by the requested type order, every field present", async () => {
    const user = await newUser("stats-shape");
    const res = await call(
      "GET",
      path("start_day=2025-08-01&end_day=2025-08-02&type=STRESS_DURATION&type=SLEEP_DURATION,STRESS_DURATION"),
      { token: user.access },
    );
    const docs = expectBody(res, 200, Statistics);
    expect(docs.map((d) => [d.date, d.type])).toEqual([
      ["2025-08-01T00:00:00.000Z", "STRESS_DURATION"],
      ["2025-08-01T00:00:00.000Z", "SLEEP_DURATION"],
      ["2025-08-02T00:00:00.000Z", "STRESS_DURATION"],
      ["2025-08-02T00:00:00.000Z", "SLEEP_DURATION"],
    ]);
    for (const doc of docs) {
      expect(doc.timeSpan).toBe("DAY");
      expect(doc.timeFilter).toEqual([doc.date.slice(0, 10)]);
      expect(doc.enoughData).toBe(false);
      expect(typeof doc.metadata.reason).toBe("string");
      expect(doc.metadata.timeZone).toBe("UTC");
      expect(doc.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it("every type answers, with its documented data keys even when there is no data", async () => {
    const user = await newUser("stats-all");
    const res = await call("GET", path(`start_day=2025-08-01&end_day=2025-08-01&type=${STATISTIC_TYPES.join(",")}`), {
      token: user.access,
    });
    const docs = expectBody(res, 200, Statistics);
    expect(docs.map((d) => d.type)).toEqual([...STATISTIC_TYPES]);
    const keys = Object.fromEntries(docs.map((d) => [d.type, Object.keys(d.data)]));
    expect(keys.SLEEP_DURATION).toEqual(
      expect.arrayContaining(["totalSleepMinutes", "sleepOnset", "wakeTime", "timeInBedMinutes", "efficiency"]),
    );
    expect(keys.SLEEP_STAGES).toEqual(
      expect.arrayContaining(["wakeMinutes", "lightMinutes", "deepMinutes", "remMinutes"]),
    );
    for (const doc of docs) expect(Object.keys(doc.data).length, doc.type).toBeGreaterThan(0);
  });

  it("leaves out the days after today", async () => {
    const user = await newUser("stats-future");
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const docs = expectBody(
      await call("GET", path(`start_day=${today}&end_day=${later}&type=SLEEP_DURATION&time_zone=UTC`), {
        token: user.access,
      }),
      200,
      Statistics,
    );
    expect(docs.map((d) => d.date.slice(0, 10))).toEqual([today]);
  });

  it("takes the zone from settings.time_zone, and the time_zone parameter over it", async () => {
    const user = await newUser("stats-zone");
    const put = await call("PUT", "/v1/user/settings", {
      token: user.access,
      body: { settings: { time_zone: "America/New_York" } },
    });
    expect(put.status, put.text).toBe(200);
    const q = "start_day=2025-08-01&end_day=2025-08-01&type=SLEEP_DURATION";
    const [fromSettings] = expectBody(await call("GET", path(q), { token: user.access }), 200, Statistics);
    expect(fromSettings?.metadata.timeZone).toBe("America/New_York");
    expect(fromSettings?.metadata.localStart).toBe("2025-08-01T04:00:00.000Z");
    const [fromQuery] = expectBody(
      await call("GET", path(`${q}&time_zone=Asia/Kolkata`), { token: user.access }),
      200,
      Statistics,
    );
    expect(fromQuery?.metadata.timeZone).toBe("Asia/Kolkata");
    expect(fromQuery?.metadata.localStart).toBe("2025-07-31T18:30:00.000Z");
  });

  it("ignores a settings.time_zone that is no zone, and uses UTC", async () => {
    const user = await newUser("stats-zone-bad");
    await call("PUT", "/v1/user/settings", { token: user.access, body: { settings: { time_zone: "Nowhere/Else" } } });
    const [doc] = expectBody(
      await call("GET", path("start_day=2025-08-01&end_day=2025-08-01&type=SLEEP_DURATION"), { token: user.access }),
      200,
      Statistics,
    );
    expect(doc?.metadata.timeZone).toBe("UTC");
  });

  it("time_span=WEEK: one document per ISO week and type, clipped to the range, days in timeFilter", async () => {
    const user = await newUser("stats-week");
    // 2025-08-06 is a Wednesday; the next week starts on Monday 2025-08-11.
    const docs = expectBody(
      await call("GET", path("start_day=2025-08-06&end_day=2025-08-12&type=INTENSE_ACTIVITY&time_span=WEEK"), {
        token: user.access,
      }),
      200,
      Statistics,
    );
    expect(docs.map((d) => [d.date, d.timeFilter])).toEqual([
      ["2025-08-06T00:00:00.000Z", ["2025-08-06", "2025-08-07", "2025-08-08", "2025-08-09", "2025-08-10"]],
      ["2025-08-11T00:00:00.000Z", ["2025-08-11", "2025-08-12"]],
    ]);
    for (const doc of docs) {
      expect(doc.timeSpan).toBe("WEEK");
      expect(doc.enoughData).toBe(false);
      expect(doc.data.daysWithData).toBe(0);
      expect(doc.data.totals).toBeTypeOf("object");
    }
    expect(docs[0]?.metadata.periodStart).toBe("2025-08-04");
  });

  it("time_span=MONTH: one document per calendar month", async () => {
    const user = await newUser("stats-month");
    const docs = expectBody(
      await call("GET", path("start_day=2025-07-30&end_day=2025-08-02&type=SLEEP_DURATION&time_span=MONTH"), {
        token: user.access,
      }),
      200,
      Statistics,
    );
    expect(docs.map((d) => [d.date, d.timeFilter.length, d.timeSpan])).toEqual([
      ["2025-07-30T00:00:00.000Z", 2, "MONTH"],
      ["2025-08-01T00:00:00.000Z", 2, "MONTH"],
    ]);
  });
});
