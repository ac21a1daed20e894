import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { StatisticSchema } from "../../src/routes/statistics/schemas";
import { call, expectBody, newUser, type TestUser } from "../helpers";
import { csv, upload, zipped } from "../routes/measurement/helpers";

/**
 * The statistics cache in the UserStore: a value is computed once, then served until something it read changes
 * (a day under its window, a workout session), and the variants (zone, share cut) are kept apart.
 */
const Statistics = z.array(StatisticSchema);
const T0 = Date.parse("2025-08-09T00:00:00Z") / 1000;
const query = (types: string, zone = "UTC") =>
  `/v1/statistics?start_day=2025-08-09&end_day=2025-08-09&type=${types}&time_zone=${encodeURIComponent(zone)}`;

async function restingSamples(user: TestUser, dayOffset: number, bpm: number) {
  const rows: [number, number, number][] = [];
  const start = T0 + dayOffset * 86_400;
  for (let t = start + 6 * 3600; t < start + 22 * 3600; t += 300) rows.push([t, bpm, 4]);
  const res = await upload(user.access, "RESTING_HEART_RATE", zipped(csv(rows)));
  expect(res.status, res.text).toBe(201);
}

const get = async (user: TestUser, path: string) =>
  expectBody(await call("GET", path, { token: user.access }), 200, Statistics);

/** Rows of statistics_cache, read inside the user's object. */
async function cacheRows(user: TestUser): Promise<number> {
  const stub = env.USER_STORE.get(env.USER_STORE.idFromName(user.id));
  return runInDurableObject(stub, (_instance, state: DurableObjectState) => {
    return state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM statistics_cache").one().n;
  });
}

describe("statistics cache", () => {
  it("serves a computed value again unchanged, and recomputes it when that day's data changes", async () => {
    const user = await newUser("cache");
    await restingSamples(user, 0, 50);
    const [first] = await get(user, query("DAYTIME_RESTING_HEART_RATE"));
    expect(first?.data.bpm).toBe(50);
    const [again] = await get(user, query("DAYTIME_RESTING_HEART_RATE"));
    expect(again).toEqual(first);
    expect(await cacheRows(user)).toBe(1);

    await new Promise((r) => setTimeout(r, 5));
    await restingSamples(user, 0, 54);
    const [changed] = await get(user, query("DAYTIME_RESTING_HEART_RATE"));
    expect(changed?.data.bpm).toBe(54);
    expect(changed?.created).toBe(first?.created);
    expect((changed?.lastUpdated ?? "") > (first?.lastUpdated ?? "")).toBe(true);
  });

  it("keeps a value when a day outside its window changes", async () => {
    const user = await newUser("cache-far");
    await restingSamples(user, 0, 50);
    const [first] = await get(user, query("DAYTIME_RESTING_HEART_RATE"));
    await restingSamples(user, 20, 70);
    const [after] = await get(user, query("DAYTIME_RESTING_HEART_RATE"));
    expect(after).toEqual(first);
  });

  it("a multi-day statistic is recomputed when a day of its window changes (stress reads 14 days back)", async () => {
    const user = await newUser("cache-window");
    await restingSamples(user, 0, 50);
    const [first] = await get(user, query("STRESS_DURATION"));
    await new Promise((r) => setTimeout(r, 5));
    await restingSamples(user, -10, 50);
    const [after] = await get(user, query("STRESS_DURATION"));
    expect((after?.lastUpdated ?? "") > (first?.lastUpdated ?? "")).toBe(true);
    expect(after?.created).toBe(first?.created);
  });

  it("recomputes after a deletion of the day's data", async () => {
    const user = await newUser("cache-delete");
    await restingSamples(user, 0, 50);
    const [first] = await get(user, query("DAYTIME_RESTING_HEART_RATE"));
    expect(first?.enoughData).toBe(true);
    const removed = await call(
      "DELETE",
      "/v1/measurement?type=RESTING_HEART_RATE&start_day=2025-08-09&end_day=2025-08-09",
      { token: user.access },
    );
    expect(removed.status, removed.text).toBe(200);
    const [after] = await get(user, query("DAYTIME_RESTING_HEART_RATE"));
    expect(after?.enoughData).toBe(false);
    expect(after?.data.bpm).toBeNull();
  });

  it("a workout session in the window invalidates intense activity", async () => {
    const user = await newUser("cache-session");
    await restingSamples(user, 0, 50);
    const [first] = await get(user, query("INTENSE_ACTIVITY"));
    await new Promise((r) => setTimeout(r, 5));
    const created = await call("POST", "/v1/session", {
      token: user.access,
      body: [
        {
          start_datetime: "2025-08-09T10:00:00.000Z",
          end_datetime: "2025-08-09T11:00:00.000Z",
          type: 12,
          info: { name: "Run", origin: 1, subjective_inputs: [] },
        },
      ],
    });
    expect(created.status, created.text).toBe(201);
    const [after] = await get(user, query("INTENSE_ACTIVITY"));
    expect((after?.lastUpdated ?? "") > (first?.lastUpdated ?? "")).toBe(true);
  });

  it("keeps each zone's values apart", async () => {
    const user = await newUser("cache-zones");
    await restingSamples(user, 0, 50);
    const [utc] = await get(user, query("DAYTIME_RESTING_HEART_RATE"));
    const [tokyo] = await get(user, query("DAYTIME_RESTING_HEART_RATE", "Asia/Tokyo"));
    expect(utc?.metadata.timeZone).toBe("UTC");
    expect(tokyo?.metadata.timeZone).toBe("Asia/Tokyo");
    expect(await cacheRows(user)).toBe(2);
  });
});
