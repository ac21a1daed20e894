import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { UploadSummarySchema } from "../../../src/measurements/schemas";
import { CheckpointSchema } from "../../../src/routes/measurement/checkpoint";
import { SeriesSchema } from "../../../src/routes/measurement/series";
import { call, expectBody, expectError, expectObject, expectSchema, newUser, nth } from "../../helpers";
import { csv, DAY, DAY0, daySamples, getDays, heartRate, isoDay, range, upload } from "./helpers";

describe("POST /v1/measurement (columnar batch)", () => {
  it("stores start + interval samples and answers the upload summary", async () => {
    const user = await newUser();
    const res = await call("POST", "/v1/measurement", {
      token: user.access,
      body: { type: "HEART_RATE", start: DAY0, interval: 60, values: [70, 71, 72], quality: [4, 4, 3] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ samplesAccepted: 3, daysTouched: 1, lastDatetime: "2025-08-09T00:02:00.000Z" });
    expect(await daySamples(user.access, range("HEART_RATE", DAY0, DAY0))).toEqual({
      "0": [70, 4],
      "60": [71, 4],
      "120": [72, 3],
    });
  });

  it("stores explicit datetimes across days", async () => {
    const user = await newUser();
    const res = await call("POST", "/v1/measurement", {
      token: user.access,
      body: { type: "TEMPERATURE", datetimes: [DAY0 + 5, DAY0 + DAY + 5], values: [36.5, 36.7], quality: [4, 4] },
    });
    expect(expectBody(res, 201, UploadSummarySchema).daysTouched).toBe(2);
  });

  it("replays an Idempotency-Key: same answer, nothing stored twice, different body refused", async () => {
    const user = await newUser();
    const key = crypto.randomUUID();
    const body = { type: "HEART_RATE", start: DAY0, values: [70, 71], quality: [4, 4] };
    const first = await call("POST", "/v1/measurement", {
      token: user.access,
      body,
      headers: { "idempotency-key": key },
    });
    expect(expectBody(first, 201, UploadSummarySchema).samplesReplaced).toBe(0);
    const retry = await call("POST", "/v1/measurement", {
      token: user.access,
      body,
      headers: { "idempotency-key": key },
    });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const other = await call("POST", "/v1/measurement", {
      token: user.access,
      body: { ...body, values: [99, 99] },
      headers: { "idempotency-key": key },
    });
    expectError(other, 409, "CONFLICT");
    expect(await daySamples(user.access, range("HEART_RATE", DAY0, DAY0))).toEqual({ "0": [70, 4], "1": [71, 4] });
    // Keys are per user: another user may use the same key.
    const bob = await newUser("bob");
    const bobs = await call("POST", "/v1/measurement", {
      token: bob.access,
      body,
      headers: { "idempotency-key": key },
    });
    expect(bobs.headers.get("idempotent-replayed")).toBeNull();
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["an unknown type", { type: "STEPS", start: DAY0, values: [1], quality: [4] }, "type"],
    ["neither datetimes nor start", { type: "HEART_RATE", values: [70], quality: [4] }, "either"],
    [
      "both datetimes and start",
      { type: "HEART_RATE", start: DAY0, datetimes: [DAY0], values: [70], quality: [4] },
      "either",
    ],
    ["lengths that differ", { type: "HEART_RATE", datetimes: [DAY0, DAY0 + 1], values: [70], quality: [4] }, "length"],
    ["a missing quality", { type: "HEART_RATE", start: DAY0, values: [70] }, "quality"],
    ["a quality of 7", { type: "HEART_RATE", start: DAY0, values: [70, 70], quality: [4, 7] }, "quality[1]"],
    ["a fractional bpm", { type: "HEART_RATE", start: DAY0, values: [70, 70.5], quality: [4, 4] }, "values[1]"],
    ["a datetime before 2000", { type: "HEART_RATE", datetimes: [100], values: [70], quality: [4] }, "datetimes[0]"],
    ["no values", { type: "HEART_RATE", start: DAY0, values: [], quality: [] }, "values"],
    ["values of the wrong type", { type: "HEART_RATE", start: DAY0, values: ["70"], quality: [4] }, "values"],
    ["a value of 1e308", { type: "MOTION_GRAPH", start: DAY0, values: [1, 1e308] }, "values[1]"],
    ["a temperature of -1e308", { type: "TEMPERATURE", start: DAY0, values: [-1e308], quality: [4] }, "values[0]"],
    ["a start of 1e308", { type: "HEART_RATE", start: 1e308, values: [70], quality: [4] }, "start"],
    ["a datetime of 1e308", { type: "HEART_RATE", datetimes: [1e308], values: [70], quality: [4] }, "datetimes[0]"],
    ["a quality of -1", { type: "HEART_RATE", start: DAY0, values: [70], quality: [-1] }, "quality[0]"],
  ];
  for (const [name, body, mention] of invalid) {
    it(`refuses ${name} with 400 and stores nothing`, async () => {
      const user = await newUser();
      const res = await call("POST", "/v1/measurement", { token: user.access, body });
      expectError(res, 400);
      expect(res.body.message.join(" "), res.text).toContain(mention);
      expect((await call("GET", "/v1/measurement/checkpoint", { token: user.access })).body).toEqual([]);
    });
  }

  it("refuses a malformed Idempotency-Key, a stranger and a shared-user write", async () => {
    const user = await newUser();
    const body = { type: "HEART_RATE", start: DAY0, values: [70], quality: [4] };
    expectError(
      await call("POST", "/v1/measurement", { token: user.access, body, headers: { "idempotency-key": "a b" } }),
      400,
    );
    expectError(await call("POST", "/v1/measurement", { body }), 401);
    expectError(
      await call("POST", "/v1/measurement", { token: user.access, body, headers: { "shared-user": user.id } }),
      403,
    );
    expect((await call("GET", "/v1/measurement/checkpoint", { token: user.access })).body).toEqual([]);
  });
});

describe("GET /v1/measurement/checkpoint", () => {
  it("reports per type the latest datetime and sample count", async () => {
    const user = await newUser();
    await upload(user.access, "HEART_RATE", csv(heartRate(DAY0, 10)));
    await upload(user.access, "HEART_RATE", csv(heartRate(DAY0 + DAY, 5)));
    await upload(user.access, "TEMPERATURE", csv([[DAY0 + 30, 36.6, 4]]));
    const res = await call("GET", "/v1/measurement/checkpoint", { token: user.access });
    expect(res.status).toBe(200);
    // Parsed to check the schema, compared raw so that no extra field slips through.
    expectSchema(z.array(CheckpointSchema), res.body);
    expect(res.body).toEqual([
      {
        type: "HEART_RATE",
        lastDatetime: "2025-08-10T00:00:04.000Z",
        lastTimestamp: DAY0 + DAY + 4,
        count: 15,
        days: 2,
      },
      { type: "TEMPERATURE", lastDatetime: "2025-08-09T00:00:30.000Z", lastTimestamp: DAY0 + 30, count: 1, days: 1 },
    ]);
  });

  it("refuses strangers and shared-user", async () => {
    const user = await newUser();
    expectError(await call("GET", "/v1/measurement/checkpoint"), 401);
    expectError(
      await call("GET", "/v1/measurement/checkpoint", { token: user.access, headers: { "shared-user": user.id } }),
      403,
    );
  });
});

describe("DELETE /v1/measurement", () => {
  it("deletes one type's days in the range and answers how many", async () => {
    const user = await newUser();
    await upload(
      user.access,
      "HEART_RATE",
      csv([...heartRate(DAY0, 10), ...heartRate(DAY0 + DAY, 7), ...heartRate(DAY0 + 2 * DAY, 3)]),
    );
    await upload(user.access, "TEMPERATURE", csv([[DAY0, 36.6, 4]]));
    const res = await call(
      "DELETE",
      `/v1/measurement?type=HEART_RATE&start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0 + DAY)}`,
      {
        token: user.access,
      },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ type: "HEART_RATE", deletedSamples: 17, deletedDays: 2 });
    const left = await getDays(user.access, range("HEART_RATE", DAY0, DAY0 + 3 * DAY));
    expect(left.map((d) => d.count)).toEqual([3]);
    expect((await call("GET", range("TEMPERATURE", DAY0, DAY0), { token: user.access })).body).toHaveLength(1);
  });

  it("refuses bad ranges, strangers and shared-user, deleting nothing", async () => {
    const user = await newUser();
    await upload(user.access, "HEART_RATE", csv(heartRate(DAY0, 10)));
    const bad = [
      "type=HEART_RATE&start_day=2025-08-10&end_day=2025-08-09",
      "type=HEART_RATE&start_day=2024-01-01&end_day=2025-08-09",
      "type=HEART_RATE&start_day=09/08/2025&end_day=2025-08-09",
      "type=HEART_RATE&start_day=2025-08-09",
      "type=NOPE&start_day=2025-08-09&end_day=2025-08-09",
    ];
    for (const q of bad) expectError(await call("DELETE", `/v1/measurement?${q}`, { token: user.access }), 400);
    const q = "type=HEART_RATE&start_day=2025-08-09&end_day=2025-08-09";
    expectError(await call("DELETE", `/v1/measurement?${q}`), 401);
    const stranger = await newUser("stranger");
    const res = await call("DELETE", `/v1/measurement?${q}`, { token: stranger.access });
    expect(res.status, res.text).toBe(200);
    expect(expectObject(res.body).deletedSamples).toBe(0);
    expectError(
      await call("DELETE", `/v1/measurement?${q}`, { token: stranger.access, headers: { "shared-user": user.id } }),
      403,
    );
    expect(nth(await getDays(user.access, range("HEART_RATE", DAY0, DAY0))).count).toBe(10);
  });
});

describe("GET /v1/measurement: ranges and strangers", () => {
  it("refuses start after end, over 366 days, malformed days, unknown type or sort", async () => {
    const user = await newUser();
    const bad = [
      "type=HEART_RATE&sort=ASC&start_day=2025-08-10&end_day=2025-08-09",
      "type=HEART_RATE&sort=ASC&start_day=2024-01-01&end_day=2025-01-02",
      "type=HEART_RATE&sort=ASC&start_day=2025-13-01&end_day=2025-12-01",
      "type=HEART_RATE&sort=UP&start_day=2025-08-09&end_day=2025-08-09",
      "type=HR&sort=ASC&start_day=2025-08-09&end_day=2025-08-09",
      "sort=ASC&start_day=2025-08-09&end_day=2025-08-09",
    ];
    for (const q of bad) expectError(await call("GET", `/v1/measurement?${q}`, { token: user.access }), 400);
    expect(
      (
        await call("GET", "/v1/measurement?type=HEART_RATE&sort=ASC&start_day=2024-01-01&end_day=2024-12-31", {
          token: user.access,
        })
      ).status,
    ).toBe(200);
  });

  it("shows a stranger none of another user's data", async () => {
    const owner = await newUser("owner");
    await upload(owner.access, "HEART_RATE", csv(heartRate(DAY0, 10)));
    const stranger = await newUser("stranger");
    expect((await call("GET", range("HEART_RATE", DAY0, DAY0), { token: stranger.access })).body).toEqual([]);
    expectError(
      await call("GET", range("HEART_RATE", DAY0, DAY0), {
        token: stranger.access,
        headers: { "shared-user": owner.id },
      }),
      403,
    );
    expectError(await call("GET", range("HEART_RATE", DAY0, DAY0)), 401);
  });
});

describe("GET /v1/measurement/series", () => {
  it("downsamples to buckets with min, max, avg, count and last", async () => {
    const user = await newUser();
    await upload(
      user.access,
      "HEART_RATE",
      csv([
        [DAY0, 60, 4],
        [DAY0 + 30, 80, 4],
        [DAY0 + 59, 70, 4],
        [DAY0 + 60, 90, 4],
      ]),
    );
    const res = await call(
      "GET",
      `/v1/measurement/series?type=HEART_RATE&start=${isoDay(DAY0)}&end=${isoDay(DAY0 + DAY)}&resolution=1m&aggregate=min,max,avg,count,last`,
      { token: user.access },
    );
    expect(res.status, res.text).toBe(200);
    const series = expectSchema(SeriesSchema, res.body);
    expect(series).toMatchObject({
      t: [DAY0, DAY0 + 60],
      min: [60, 90],
      max: [80, 90],
      avg: [70, 90],
      count: [3, 1],
      last: [70, 90],
      resolution: 60,
    });
  });

  it("refuses bad parameters with 400", async () => {
    const user = await newUser();
    const base = "type=HEART_RATE&start=2025-08-09&end=2025-08-10";
    for (const q of [
      `${base}&resolution=0`,
      `${base}&resolution=2d`,
      `${base}&resolution=abc`,
      `${base}&resolution=60&aggregate=median`,
      "type=HEART_RATE&start=2025-08-10&end=2025-08-09&resolution=60",
      "type=HEART_RATE&start=2023-01-01&end=2025-08-09&resolution=60",
      "type=HEART_RATE&start=yesterday&end=2025-08-09&resolution=60",
    ]) {
      expectError(await call("GET", `/v1/measurement/series?${q}`, { token: user.access }), 400);
    }
    expectError(await call("GET", `/v1/measurement/series?${base}&resolution=60`), 401);
  });
});
