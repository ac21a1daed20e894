import { describe, expect, it } from "vitest";
import { z } from "zod";
import { INSIGHT_CATALOGUE } from "../../../src/records/insights/catalogue";
import { InsightResponseSchema } from "../../../src/records/insights/schemas";
import { InsightHistoryEntrySchema } from "../../../src/routes/insight/schemas";
import { asViewer, expectRefused, share, storedRows } from "../../fixtures/records";
import { call, expectError, expectSchema, newUser, nth, read, type TestUser } from "../../helpers";

const APP = { "app-version": "2.5.1" };

const request = (over: Record<string, unknown> = {}) => ({
  time_format: "day",
  today_triggers: ["CAFFEINE"],
  today_metrics: { sleep_duration: 330, sleep_hrv: 41 },
  past_daily_metrics: { "2024-03-18": { sleep_duration: 431, sleep_hrv: 47 } },
  past_triggers: { "2024-03-18": ["ALCOHOL"] },
  previous_research_insight_ids: [],
  ...over,
});

const today = () => new Date().toISOString().slice(0, 10);
const historyPath = (from = today(), to = today()) => `/v2/insight?start_day=${from}&end_day=${to}`;
const History = z.array(InsightHistoryEntrySchema);
/** Today's reflections of the caller, through the route's schema. */
const history = (token: string) => read(historyPath(), { token }, History);

async function reflect(user: TestUser, body: unknown = request(), headers: Record<string, string> = APP) {
  const res = await call("POST", "/v2/insight", { token: user.access, body, headers });
  expect(res.status, res.text).toBe(201);
  return expectSchema(InsightResponseSchema, res.body);
}

const feedbackItem = (instanceId: string, over: Record<string, unknown> = {}) => ({
  app_version: "2.5.1",
  date: today(),
  feedback: [{ section: "research_insight", options: ["helpful"], thumbUp: true }],
  instance_id: instanceId,
  test_build: false,
  ...over,
});

describe("POST /v2/insight (contract §5)", () => {
  it("creates a dated reflection from the catalogue, deterministic for the same input, stored in history", async () => {
    const user = await newUser();
    const first = await reflect(user);
    expect(first).toMatchObject({ date: today(), timeFormat: "day" });
    expect(INSIGHT_CATALOGUE.map((e) => e.id)).toContain(first.researchInsight.id);
    expect(first.reasons.length).toBeGreaterThan(0);

    const second = await reflect(user, request({ today_triggers: ["caffeine"], time_format: "DAY" }));
    expect(second.researchInsight).toEqual(first.researchInsight);
    expect(second.id).not.toBe(first.id);

    const history = await call("GET", historyPath(), { token: user.access });
    expect(history.status, history.text).toBe(200);
    const entries = expectSchema(z.array(InsightHistoryEntrySchema), history.body);
    expect(entries.map((e) => e.id)).toEqual([first.id, second.id]);
    expect(entries[0]).toEqual({ ...first, appVersion: "2.5.1", feedback: [] });
  });

  it("never answers one of previous_research_insight_ids; 404 when nothing new is left", async () => {
    const user = await newUser();
    const first = await reflect(user);
    const next = await reflect(user, request({ previous_research_insight_ids: [first.researchInsight.id] }));
    expect(next.researchInsight.id).not.toBe(first.researchInsight.id);
    const week = await reflect(user, request({ time_format: "week" }));
    expect(week.timeFormat).toBe("week");

    const all = INSIGHT_CATALOGUE.map((e) => e.id);
    const none = await call("POST", "/v2/insight", {
      token: user.access,
      body: request({ previous_research_insight_ids: all }),
      headers: APP,
    });
    expectError(none, 404, "NOT_FOUND");
    expect(none.body.message).toEqual(["No new research insight for this input"]);
    expect((await call("GET", historyPath(), { token: user.access })).body).toHaveLength(3);
  });

  // The contract types time_format as a bare string (§5): no string is refused; day or week is read where given.
  it.each([
    ["24h", "day"],
    ["HH:mm", "day"],
    ["", "day"],
    ["month", "day"],
    ["week", "week"],
    ["WEEK", "week"],
    ["Week", "week"],
    [" week ", "week"],
    ["Day", "day"],
  ])("reads time_format %j as a %s reflection", async (timeFormat, period) => {
    const user = await newUser();
    const reflection = await reflect(user, request({ time_format: timeFormat }));
    expect(reflection.timeFormat).toBe(period);
  });

  const bad: [string, Record<string, string>, unknown, string][] = [
    ["a missing app-version header", {}, request(), "app-version: the app-version header is required"],
    ["an empty app-version header", { "app-version": "" }, request(), "app-version"],
    ["a time_format that is not a string", APP, request({ time_format: 24 }), "time_format"],
    ["a missing field", APP, { ...request(), past_triggers: undefined }, "past_triggers"],
    ["triggers that are not strings", APP, request({ today_triggers: [1] }), "today_triggers[0]"],
  ];
  for (const [name, headers, body, mention] of bad) {
    it(`refuses ${name} with 400 and stores nothing`, async () => {
      const user = await newUser();
      await expectRefused(await call("POST", "/v2/insight", { token: user.access, body, headers }), user, mention);
    });
  }

  it("refuses no token (401) and shared-user (403)", async () => {
    const user = await newUser();
    const other = await newUser("other");
    expectError(await call("POST", "/v2/insight", { body: request(), headers: APP }), 401, "UNAUTHORIZED");
    await expectRefused(
      await call("POST", "/v2/insight", {
        ...asViewer(user, other),
        body: request(),
        headers: { ...APP, "shared-user": other.id },
      }),
      user,
      "read-only",
      403,
    );
  });
});

describe("POST /v2/insight/feedback (contract §5)", () => {
  it("stores thumbs per section; GET /v2/insight lists each reflection with its feedback", async () => {
    const user = await newUser();
    const a = await reflect(user);
    const b = await reflect(user, request({ time_format: "week" }));
    const res = await call("POST", "/v2/insight/feedback", {
      token: user.access,
      body: [
        feedbackItem(a.id),
        feedbackItem(a.id, {
          date: "2024-03-20T18:00:00+01:00",
          feedback: [
            { section: "research_insight", options: [], thumbUp: false },
            { section: "reasons", options: ["not_relevant", "too_long"], thumbUp: false },
          ],
          test_build: true,
        }),
      ],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ status: "success" });

    const entries = expectSchema(
      z.array(InsightHistoryEntrySchema),
      (await call("GET", historyPath(), { token: user.access })).body,
    );
    const [forA, forB] = entries;
    expect(forB).toMatchObject({ id: b.id, feedback: [] });
    expect(forA?.feedback).toEqual([
      {
        id: forA?.feedback[0]?.id,
        instanceId: a.id,
        appVersion: "2.5.1",
        date: today(),
        feedback: [{ section: "research_insight", options: ["helpful"], thumbUp: true }],
        testBuild: false,
        created: forA?.feedback[0]?.created,
      },
      {
        id: forA?.feedback[1]?.id,
        instanceId: a.id,
        appVersion: "2.5.1",
        date: "2024-03-20T17:00:00.000Z",
        feedback: [
          { section: "research_insight", options: [], thumbUp: false },
          { section: "reasons", options: ["not_relevant", "too_long"], thumbUp: false },
        ],
        testBuild: true,
        created: forA?.feedback[1]?.created,
      },
    ]);
  });

  it("refuses an unknown or another user's reflection with 404 naming the element, storing none of the batch", async () => {
    const user = await newUser();
    const stranger = await newUser("stranger");
    const mine = await reflect(user);
    const theirs = await reflect(stranger);
    for (const unknown of [crypto.randomUUID(), theirs.id]) {
      const res = await call("POST", "/v2/insight/feedback", {
        token: user.access,
        body: [feedbackItem(mine.id), feedbackItem(unknown)],
      });
      expectError(res, 404, "NOT_FOUND");
      expect(res.body.message).toEqual(["[1].instance_id: no reflection with this id"]);
    }
    expect(nth(await history(user.access)).feedback).toEqual([]);
    expect(nth(await history(stranger.access)).feedback).toEqual([]);
  });

  const bad: [string, (id: string) => unknown, string][] = [
    [
      "a missing thumbUp",
      (id) => [feedbackItem(id, { feedback: [{ section: "s", options: [] }] })],
      "[0].feedback[0].thumbUp",
    ],
    ["a missing instance_id", (id) => [{ ...feedbackItem(id), instance_id: undefined }], "[0].instance_id"],
    ["a test_build that is not a boolean", (id) => [feedbackItem(id, { test_build: "no" })], "[0].test_build"],
    ["a date that is not ISO-8601", (id) => [feedbackItem(id, { date: "20.03.2024" })], "[0].date"],
    [
      "a batch over 1,000 elements",
      (id) => Array.from({ length: 1001 }, () => feedbackItem(id)),
      "at most 1000 elements",
    ],
    [
      "one bad element among good ones",
      (id) => [feedbackItem(id), feedbackItem(id, { app_version: 2 })],
      "[1].app_version",
    ],
  ];
  for (const [name, body, mention] of bad) {
    it(`refuses ${name} with 400 and stores nothing`, async () => {
      const user = await newUser();
      const reflection = await reflect(user);
      const rows = await storedRows(user);
      const res = await call("POST", "/v2/insight/feedback", { token: user.access, body: body(reflection.id) });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.message.join(" | "), res.text).toContain(mention);
      expect(await storedRows(user)).toBe(rows);
    });
  }

  it("refuses no token (401) and shared-user (403)", async () => {
    const user = await newUser();
    const other = await newUser("other");
    const reflection = await reflect(user);
    expectError(await call("POST", "/v2/insight/feedback", { body: [feedbackItem(reflection.id)] }), 401);
    const res = await call("POST", "/v2/insight/feedback", {
      ...asViewer(user, other),
      body: [feedbackItem(reflection.id)],
    });
    expectError(res, 403, "FORBIDDEN");
    expect(nth(await history(user.access)).feedback).toEqual([]);
  });
});

describe("GET /v2/insight", () => {
  it("selects reflections by date; refuses bad ranges (400), no token (401) and shared-user without a share (403)", async () => {
    const user = await newUser();
    const other = await newUser("other");
    await reflect(user);
    expect((await call("GET", historyPath("2024-01-01", "2024-01-31"), { token: user.access })).body).toEqual([]);
    for (const path of ["/v2/insight", historyPath(today(), "2000-01-01"), "/v2/insight?start_day=x&end_day=y"]) {
      expectError(await call("GET", path, { token: user.access }), 400, "VALIDATION_FAILED");
    }
    expectError(await call("GET", historyPath()), 401, "UNAUTHORIZED");
    expectError(await call("GET", historyPath(), asViewer(other, user)), 403, "FORBIDDEN");
  });

  it("a viewer sees reflections created at or after sharedSince, with a share that includes INSIGHTS", async () => {
    const owner = await newUser("owner");
    const early = await newUser("early");
    const late = await newUser("late");
    const limited = await newUser("limited");
    const reflection = await reflect(owner);
    await share(owner, early, { shareSince: "2024-01-01T00:00:00Z", types: ["INSIGHTS"] });
    await share(owner, late, { shareSince: new Date(Date.now() + 86_400_000).toISOString() });
    await share(owner, limited, { types: ["SESSIONS"] });
    const seen = await read(historyPath(), asViewer(early, owner), History);
    expect(seen.map((e) => e.id)).toEqual([reflection.id]);
    expect((await call("GET", historyPath(), asViewer(late, owner))).body).toEqual([]);
    expectError(await call("GET", historyPath(), asViewer(limited, owner)), 403, "FORBIDDEN");
  });
});
