import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { StatisticSchema } from "../../../src/routes/statistics/schemas";
import { syntheticDays, toCsv } from "../../../src/statistics/synthetic";
import { call, expectBody, newUser } from "../../helpers";
import { upload, zipped } from "../measurement/helpers";

/**
 * End to end: synthetic data uploaded through POST /v1/measurement/upload and /v1/activity as a phone would, then
 * GET /v1/statistics in the user's zone recovers the truth (docs/statistics.md "Tolerances").
 */
const Statistics = z.array(StatisticSchema);

describe("GET /v1/statistics on uploaded synthetic data", () => {
  it("recovers the nights and the resting heart rate in Europe/Paris (UTC+1 in March)", async () => {
    const user = await newUser("stats-truth");
    const data = syntheticDays({
      startDay: "2025-03-03",
      days: 4,
      seed: 21,
      utcOffsetMinutes: 60,
      heartRateIntervalSeconds: 5,
      activity: "count-60s",
      types: ["HEART_RATE", "ACTIVITY_COUNT", "ACTIVITY_CADENCE", "RESTING_HEART_RATE", "HEART_BEAT"],
    });
    for (const [type, series] of Object.entries(data.series)) {
      const res = await upload(user.access, type, zipped(toCsv(type, series)));
      expect(res.status, `${type}: ${res.text}`).toBe(201);
    }
    const posted = await call("POST", "/v1/activity", {
      token: user.access,
      body: data.sessions.map((s) => ({
        start_datetime: s.startDatetime,
        end_datetime: s.endDatetime,
        type: s.type,
        info: { ...s.info, subjective_inputs: [] },
      })),
    });
    expect(posted.status, posted.text).toBe(201);

    const res = await call(
      "GET",
      "/v1/statistics?start_day=2025-03-04&end_day=2025-03-06&type=SLEEP_DURATION,DAYTIME_RESTING_HEART_RATE,SLEEP_HRV&time_zone=Europe/Paris",
      { token: user.access },
    );
    const docs = expectBody(res, 200, Statistics);
    expect(docs).toHaveLength(9);
    const errors: number[] = [];
    for (const truth of data.truth.filter((t) => t.day >= "2025-03-04")) {
      const of = (type: string) => docs.find((d) => d.type === type && d.date.startsWith(truth.day));
      const sleep = of("SLEEP_DURATION");
      const night = truth.night;
      if (!sleep || !night) throw new Error(`no night for ${truth.day}`);
      expect(sleep.enoughData, JSON.stringify(sleep.metadata)).toBe(true);
      // Onset ± 20 min, as in test/statistics/truth.test.ts (15 until sleep 1.1.0: see the reason there).
      expect(
        Math.abs(Date.parse(String(sleep.data.sleepOnset)) / 1000 - night.onset) / 60,
        truth.day,
      ).toBeLessThanOrEqual(20);
      // Heart rate every 5 s and counts per minute: the imperfect-data bound (a median of 30 min, 45 per night).
      const error = Math.abs((sleep.data.totalSleepMinutes as number) - night.totalSleepMinutes);
      expect(error, truth.day).toBeLessThanOrEqual(45);
      errors.push(error);
      expect(sleep.metadata.timeZone).toBe("Europe/Paris");
      expect(
        Math.abs((of("DAYTIME_RESTING_HEART_RATE")?.data.bpm as number) - truth.restingHeartRate),
      ).toBeLessThanOrEqual(2);
      const hrv = of("SLEEP_HRV")?.data.rmssd as number;
      expect(Math.abs(hrv - night.rmssd) / night.rmssd).toBeLessThanOrEqual(0.1);
    }
    expect([...errors].sort((a, b) => a - b)[1]).toBeLessThanOrEqual(30);
  });
});
