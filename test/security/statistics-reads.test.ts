import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { StatisticSchema } from "../../src/routes/statistics/schemas";
import { share } from "../fixtures/sharing";
import { call, expectBody, expectError, newUser, type TestUser } from "../helpers";
import { csv, upload, zipped } from "../routes/measurement/helpers";
import { expected, reader, SINCE, STATES } from "./matrix";

/**
 * GET /v1/statistics × every viewer state. The owner's resting heart rate straddles sharedSince
 * (2025-08-09T12:00:00Z): 45 bpm before it, 65 bpm after. A viewer's statistics are computed from the data after
 * the cut only, and days that end before it are left out.
 */
const Statistics = z.array(StatisticSchema);
const QUERY = "/v1/statistics?start_day=2025-08-08&end_day=2025-08-10&type=DAYTIME_RESTING_HEART_RATE&time_zone=UTC";
const T0 = Date.parse("2025-08-08T00:00:00Z") / 1000;
const CUT = Date.parse(SINCE) / 1000;

async function owner(): Promise<TestUser> {
  const user = await newUser("stats-owner");
  const rows: [number, number, number][] = [];
  // A resting-heart-rate sample every 5 minutes over three days, 06:00-22:00 each day; on the day of the cut only
  // until 16:00, so that its morning (before the cut) holds most of the day's samples.
  for (let day = 0; day < 3; day++) {
    const end = T0 + day * 86_400 + (day === 1 ? 16 : 22) * 3600;
    for (let t = T0 + day * 86_400 + 6 * 3600; t < end; t += 300) rows.push([t, t < CUT ? 45 : 65, 4]);
  }
  const res = await upload(user.access, "RESTING_HEART_RATE", zipped(csv(rows)));
  expect(res.status, res.text).toBe(201);
  return user;
}

const bpmOf = (doc: z.infer<typeof StatisticSchema> | undefined) => doc?.data.bpm;

describe("security matrix: statistics × viewer states", () => {
  for (const state of STATES) {
    it(`GET /v1/statistics as ${state}`, async () => {
      const o = await owner();
      const { token, headers } = await reader(o, state);
      const res = await call("GET", QUERY, { token, headers });
      const want = expected(state);
      if (want === 403) {
        expectError(res, 403, "FORBIDDEN");
        return;
      }
      const docs = expectBody(res, 200, Statistics);
      if (want === "all") {
        expect(docs.map((d) => d.date.slice(0, 10))).toEqual(["2025-08-08", "2025-08-09", "2025-08-10"]);
        expect(docs.map(bpmOf)).toEqual([45, 45, 65]);
        return;
      }
      // The day wholly before sharedSince is left out; the straddling day is computed from its afternoon only.
      expect(docs.map((d) => d.date.slice(0, 10))).toEqual(["2025-08-09", "2025-08-10"]);
      expect(bpmOf(docs[0])).toBe(65);
      expect(bpmOf(docs[1])).toBe(65);
    });
  }

  it("a share without STATISTICS answers 403, as for a stranger", async () => {
    const o = await owner();
    const viewer = await newUser("stats-viewer");
    await share(o, viewer, { types: ["HEART_RATE", "SESSIONS"] });
    expectError(await call("GET", QUERY, { token: viewer.access, headers: { "shared-user": o.id } }), 403, "FORBIDDEN");
  });

  it("the owner's and the viewer's values are cached apart: the owner still sees the morning", async () => {
    const o = await owner();
    const { token, headers } = await reader(o, "accepted viewer");
    expectBody(await call("GET", QUERY, { token, headers }), 200, Statistics);
    const mine = expectBody(await call("GET", QUERY, { token: o.access }), 200, Statistics);
    expect(mine.map(bpmOf)).toEqual([45, 45, 65]);
  });
});
