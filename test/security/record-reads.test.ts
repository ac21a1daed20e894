import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { InsightResponseSchema } from "../../src/records/insights/schemas";
import { InsightHistoryEntrySchema } from "../../src/routes/insight/schemas";
import { activityItem, checkinItem, create, dayFeedbackItem, intentionItem } from "../fixtures/records";
import { call, expectBody, expectError, expectValid, newUser, type TestUser } from "../helpers";
import { expected, reader, STATES } from "./matrix";

/**
 * The security matrix over every personal-record read (issue 4 × issue 5): each operation × each viewer state, with
 * the exact set of visible records. The owner's records straddle sharedSince (2025-08-09T12:00:00Z).
 */
const BEFORE = "2025-08-09T06:00:00Z";
const AFTER = "2025-08-09T18:00:00Z";

interface Owner {
  user: TestUser;
  /** Ids created before and after sharedSince, per kind of record. */
  ids: Record<"activity" | "intention" | "checkin" | "feedback", { before: string; after: string }>;
  insight: string;
}

async function owner(): Promise<Owner> {
  const user = await newUser("owner");
  const at = (t: string) => ({ start_datetime: t, end_datetime: new Date(Date.parse(t) + 600_000).toISOString() });
  const [activityBefore, activityAfter] = await create(user, "/v1/session", [
    activityItem(at(BEFORE)),
    activityItem(at(AFTER)),
  ]);
  const [intentionBefore, intentionAfter] = await create(user, "/v1/session", [
    intentionItem(at(BEFORE)),
    intentionItem(at(AFTER)),
  ]);
  const [checkinBefore, checkinAfter] = await create(user, "/v1/checkin", [
    checkinItem({ datetime: BEFORE }),
    checkinItem({ datetime: AFTER }),
  ]);
  const [feedbackBefore, feedbackAfter] = await create(user, "/v1/day-feedback", [
    dayFeedbackItem({ datetime: BEFORE, type: 6 }),
    dayFeedbackItem({ datetime: AFTER, type: 5 }),
  ]);
  const insight = await call("POST", "/v2/insight", {
    token: user.access,
    headers: { "app-version": "2.5.1" },
    body: {
      time_format: "day",
      today_triggers: [],
      today_metrics: { sleep_duration: 300 },
      past_daily_metrics: {},
      past_triggers: {},
      previous_research_insight_ids: [],
    },
  });
  const reflection = expectBody(insight, 201, InsightResponseSchema);
  return {
    user,
    ids: {
      activity: { before: activityBefore as string, after: activityAfter as string },
      intention: { before: intentionBefore as string, after: intentionAfter as string },
      checkin: { before: checkinBefore as string, after: checkinAfter as string },
      feedback: { before: feedbackBefore as string, after: feedbackAfter as string },
    },
    insight: reflection.id,
  };
}

/** What every record read answers per record: its id (each route's own schema is checked in its own tests). */
const Identified = z.object({ id: z.uuid() });

type Read = (
  o: Owner,
  token: string,
  headers: Record<string, string>,
) => Promise<{ status: number; ids: string[]; res: Awaited<ReturnType<typeof call>> }>;

const list =
  (path: string): Read =>
  async (_o, token, headers) => {
    const res = await call("GET", path, { token, headers });
    const ids = res.status === 200 ? expectValid(z.array(Identified), res.body).map((r) => r.id) : [];
    return { status: res.status, ids: ids.sort(), res };
  };

const byId =
  (path: (o: Owner) => string): Read =>
  async (o, token, headers) => {
    const res = await call("GET", path(o), { token, headers });
    return { status: res.status, ids: res.status === 200 ? [expectValid(Identified, res.body).id] : [], res };
  };

/** Each read, what the owner sees (all) and what an accepted viewer sees (from sharedSince on). */
const READS: [string, Read, (o: Owner) => string[], (o: Owner) => string[]][] = [
  [
    "GET /v1/session",
    list("/v1/session?start_date=2025-08-01&end_date=2025-08-31"),
    (o) => [o.ids.activity.before, o.ids.activity.after, o.ids.intention.before, o.ids.intention.after],
    (o) => [o.ids.activity.after, o.ids.intention.after],
  ],
  [
    "GET /v1/activity",
    list("/v1/activity?start_date=2025-08-01&end_date=2025-08-31"),
    (o) => [o.ids.activity.before, o.ids.activity.after],
    (o) => [o.ids.activity.after],
  ],
  [
    "GET /v1/intention",
    list("/v1/intention?start_date=2025-08-01&end_date=2025-08-31"),
    (o) => [o.ids.intention.before, o.ids.intention.after],
    (o) => [o.ids.intention.after],
  ],
  [
    "GET /v1/session/{id} (after sharedSince)",
    byId((o) => `/v1/session/${o.ids.activity.after}`),
    (o) => [o.ids.activity.after],
    (o) => [o.ids.activity.after],
  ],
  [
    "GET /v1/session/{id} (before sharedSince)",
    byId((o) => `/v1/session/${o.ids.activity.before}`),
    (o) => [o.ids.activity.before],
    () => [],
  ],
  [
    "GET /v1/checkin",
    list("/v1/checkin?start_day=2025-08-01&end_day=2025-08-31"),
    (o) => [o.ids.checkin.before, o.ids.checkin.after],
    (o) => [o.ids.checkin.after],
  ],
  [
    "GET /v1/checkin/{id} (before sharedSince)",
    byId((o) => `/v1/checkin/${o.ids.checkin.before}`),
    (o) => [o.ids.checkin.before],
    () => [],
  ],
  [
    "GET /v1/day-feedback",
    list("/v1/day-feedback?start_day=2025-08-01&end_day=2025-08-31"),
    (o) => [o.ids.feedback.before, o.ids.feedback.after],
    (o) => [o.ids.feedback.after],
  ],
];

describe("security matrix: personal-record reads × viewer states", () => {
  for (const [name, read, all, since] of READS) {
    for (const state of STATES) {
      it(`${name} as ${state}`, async () => {
        const o = await owner();
        const { token, headers } = await reader(o.user, state);
        const { status, ids, res } = await read(o, token, headers);
        const want = expected(state);
        if (want === 403) {
          expectError(res, 403, "FORBIDDEN");
          return;
        }
        const visible = (want === "all" ? all(o) : since(o)).sort();
        // A record before sharedSince, read by id, is as unknown as another user's: 404.
        if (visible.length === 0 && name.includes("{id}")) {
          expectError(res, 404, "NOT_FOUND");
          return;
        }
        expect(status, res.text).toBe(200);
        expect(ids).toEqual(visible);
      });
    }
  }

  for (const state of STATES) {
    it(`GET /v2/insight as ${state}`, async () => {
      const o = await owner();
      const { token, headers } = await reader(o.user, state);
      const res = await call("GET", `/v2/insight?start_day=2020-01-01&end_day=2020-12-31`, { token, headers });
      const today = new Date().toISOString().slice(0, 10);
      const recent = await call("GET", `/v2/insight?start_day=${today}&end_day=${today}`, { token, headers });
      if (expected(state) === 403) {
        expectError(recent, 403, "FORBIDDEN");
        return;
      }
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual([]);
      expect(recent.status, recent.text).toBe(200);
      // Reflections are dated by their creation (now), after sharedSince: the viewer sees them as the owner does.
      expect(expectValid(z.array(InsightHistoryEntrySchema), recent.body).map((r) => r.id)).toEqual([o.insight]);
    });
  }

  it("writes with shared-user are refused for every record kind, even with an accepted share", async () => {
    const o = await owner();
    const { token, headers } = await reader(o.user, "accepted viewer");
    for (const [path, body] of [
      ["/v1/session", [activityItem()]],
      ["/v1/checkin", [checkinItem()]],
      ["/v1/day-feedback", [dayFeedbackItem()]],
    ] as const) {
      expectError(await call("POST", path, { token, headers, body }), 403, "FORBIDDEN");
    }
    expectError(await call("DELETE", `/v1/session/${o.ids.activity.after}`, { token, headers }), 403);
    expectError(await call("DELETE", `/v1/checkin/${o.ids.checkin.after}`, { token, headers }), 403);
    const still = await call("GET", `/v1/session/${o.ids.activity.after}`, { token: o.user.access });
    expect(still.status).toBe(200);
  });
});
