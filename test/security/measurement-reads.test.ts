import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { MeasurementDaySchema } from "../../src/routes/measurement/get";
import { SeriesSchema } from "../../src/routes/measurement/series";
import { call, expectError, expectValid, newUser } from "../helpers";
import { csv, DAY0, upload } from "../routes/measurement/helpers";
import { expected, reader, SINCE, STATES } from "./matrix";

/** Owner samples: 5 before sharedSince (00:00) and 5 after (12:00) on DAY0, 5 on the next day. */
const BEFORE = [0, 1, 2, 3, 4].map((s) => DAY0 + s);
const AFTER = [0, 1, 2, 3, 4].map((s) => DAY0 + 43_200 + s);
const NEXT = [0, 1, 2, 3, 4].map((s) => DAY0 + 86_400 + s);
const ALL = [...BEFORE, ...AFTER, ...NEXT];
const sinceSeconds = Date.parse(SINCE) / 1000;

async function owner() {
  const user = await newUser("owner");
  const res = await upload(user.access, "HEART_RATE", csv(ALL.map((t) => [t, 70, 4])));
  expect(res.status, res.text).toBe(201);
  return user;
}

const reads = {
  "GET /v1/measurement": async (token: string, headers: Record<string, string>, startDay: string, endDay: string) => {
    const res = await call("GET", `/v1/measurement?type=HEART_RATE&sort=ASC&start_day=${startDay}&end_day=${endDay}`, {
      token,
      headers,
    });
    if (res.status !== 200) return { res, seen: null };
    const seen = expectValid(z.array(MeasurementDaySchema), res.body).flatMap((doc) =>
      Object.keys(JSON.parse(doc.values)).map((s) => Date.parse(doc.day) / 1000 + Number(s)),
    );
    return { res, seen };
  },
  "GET /v1/measurement/series": async (
    token: string,
    headers: Record<string, string>,
    startDay: string,
    endDay: string,
  ) => {
    const end = new Date(Date.parse(endDay) + 86_400_000).toISOString();
    const res = await call(
      "GET",
      `/v1/measurement/series?type=HEART_RATE&start=${startDay}&end=${end}&resolution=1&aggregate=count`,
      { token, headers },
    );
    return { res, seen: res.status === 200 ? expectValid(SeriesSchema, res.body).t : null };
  },
};

describe("security matrix: measurement reads × viewer states", () => {
  for (const [name, read] of Object.entries(reads)) {
    for (const state of STATES) {
      it(`${name} as ${state}`, async () => {
        const own = await owner();
        const { token, headers } = await reader(own, state);
        const { res, seen } = await read(token, headers, "2025-08-08", "2025-08-11");
        const want = expected(state);
        if (want === 403) {
          expectError(res, 403, "FORBIDDEN");
          return;
        }
        expect(res.status, res.text).toBe(200);
        expect(seen).toEqual(want === "all" ? ALL : ALL.filter((t) => t >= sinceSeconds));
      });
    }

    it(`${name}: an accepted viewer reading only before sharedSince gets nothing (cut, not refused)`, async () => {
      const own = await owner();
      const { token, headers } = await reader(own, "accepted viewer");
      const { res, seen } = await read(token, headers, "2025-08-01", "2025-08-08");
      expect(res.status, res.text).toBe(200);
      expect(seen).toEqual([]);
    });
  }

  it("a share limited to other types refuses measurement reads with the same 403", async () => {
    const own = await owner();
    const viewer = await newUser("viewer");
    await call("POST", "/v1/sharing/invite", {
      token: own.access,
      body: { email: viewer.email, shareSince: SINCE, types: ["TEMPERATURE"] },
    });
    await call("POST", "/v1/sharing/invite/accept", { token: viewer.access, body: { email: own.email } });
    const res = await call("GET", "/v1/measurement?type=HEART_RATE&sort=ASC&start_day=2025-08-09&end_day=2025-08-10", {
      token: viewer.access,
      headers: { "shared-user": own.id },
    });
    expectError(res, 403, "FORBIDDEN");
    const stranger = await call(
      "GET",
      "/v1/measurement?type=HEART_RATE&sort=ASC&start_day=2025-08-09&end_day=2025-08-10",
      {
        token: viewer.access,
        headers: { "shared-user": "uid_0000000000000000000000000000000000000000000000000000000000000000" },
      },
    );
    expectError(stranger, 403, "FORBIDDEN");
    expect(stranger.body.message).toEqual(res.body.message);
  });

  it("a shared-user header that is not a user id is a 400", async () => {
    const viewer = await newUser("viewer");
    const res = await call("GET", "/v1/measurement?type=HEART_RATE&sort=ASC&start_day=2025-08-09&end_day=2025-08-10", {
      token: viewer.access,
      headers: { "shared-user": "not-a-user" },
    });
    expectError(res, 400);
  });
});
