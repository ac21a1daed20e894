import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { upsertDayFeedback } from "../../src/user-store/records-day-feedback";
import { insertInsight, insertInsightFeedback } from "../../src/user-store/records-insights";
import { findSession, insertSessions, listSessionsJson, type NewSession } from "../../src/user-store/records-sessions";
import { userStore } from "../../src/user-store/user-store";

/** The records store functions, inside a real UserStore's SQLite (one fresh object per test). */

const freshStore = () => userStore(env, `store-test-${crypto.randomUUID()}`);

const session = (minute: number, type = 5): NewSession => ({
  startDatetime: new Date(Date.UTC(2024, 2, 20, 0, minute)).toISOString(),
  endDatetime: null,
  type,
  info: { name: `s${minute}`, note: "", subjectiveInputs: [] },
});

const NOW = "2024-03-20T12:00:00.000Z";
const RANGE = { from: "2024-01-01T00:00:00.000Z", to: "2025-01-01T00:00:00.000Z" };

describe("records store", () => {
  it("inserts a batch over several multi-row statements, keeping ids in input order", async () => {
    await runInDurableObject(freshStore(), (_instance, state) => {
      const sql = state.storage.sql;
      const batch = Array.from({ length: 29 }, (_, i) => session(29 - i)); // newest first
      const ids = state.storage.transactionSync(() => insertSessions(sql, batch, NOW));
      expect(ids).toHaveLength(29);
      ids.forEach((id, i) => {
        expect(findSession(sql, id, null)?.info.name).toBe(`s${29 - i}`);
      });
      const listed = JSON.parse(listSessionsJson(sql, { ...RANGE, kind: null, limit: 100 }) ?? "null");
      expect(listed.map((s: { info: { name: string } }) => s.info.name)).toEqual(
        Array.from({ length: 29 }, (_, i) => `s${i + 1}`),
      );
      // The pre-rendered list and the parsed record agree exactly.
      expect(listed[0]).toEqual(findSession(sql, listed[0].id, null));
    });
  });

  it("answers null when a range holds more than the limit, and filters by kind", async () => {
    await runInDurableObject(freshStore(), (_instance, state) => {
      const sql = state.storage.sql;
      insertSessions(sql, [session(1, 0), session(2), session(3)], NOW);
      expect(listSessionsJson(sql, { ...RANGE, kind: null, limit: 2 })).toBeNull();
      expect(JSON.parse(listSessionsJson(sql, { ...RANGE, kind: null, limit: 3 }) ?? "")).toHaveLength(3);
      expect(JSON.parse(listSessionsJson(sql, { ...RANGE, kind: "activity", limit: 2 }) ?? "")).toHaveLength(2);
      expect(JSON.parse(listSessionsJson(sql, { ...RANGE, kind: "intention", limit: 2 }) ?? "")).toHaveLength(1);
    });
  });

  it("keeps one day-feedback row per (local day, type)", async () => {
    await runInDurableObject(freshStore(), (_instance, state) => {
      const sql = state.storage.sql;
      const answer = { datetime: NOW, day: "2024-03-20", type: 5, value: 2, tag: null };
      const [a, b, c] = upsertDayFeedback(sql, [answer, { ...answer, value: 4 }, { ...answer, type: 6 }], NOW);
      expect(a).toBe(b);
      expect(c).not.toBe(a);
      const rows = sql
        .exec<{ type: number; value: number }>("SELECT type, value FROM day_feedback ORDER BY type")
        .toArray();
      expect(rows).toEqual([
        { type: 5, value: 4 },
        { type: 6, value: 2 },
      ]);
    });
  });

  it("stores no insight feedback when one element names an unknown reflection", async () => {
    await runInDurableObject(freshStore(), (_instance, state) => {
      const sql = state.storage.sql;
      const id = crypto.randomUUID();
      insertInsight(sql, {
        appVersion: "1.0.0",
        response: {
          id,
          date: "2024-03-20",
          timeFormat: "day",
          researchInsight: { id: "ri_general_habits_01", title: "t", text: "x" },
          reasons: [],
          created: NOW,
        },
      });
      const item = { instanceId: id, appVersion: "1", date: "2024-03-20", feedback: [], testBuild: false };
      const outcome = insertInsightFeedback(sql, [item, item, { ...item, instanceId: "nope" }], NOW);
      expect(outcome).toEqual({ outcome: "unknown_insight", index: 2 });
      expect(sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM insight_feedback").one().n).toBe(0);
      expect(insertInsightFeedback(sql, [item, item], NOW)).toMatchObject({ outcome: "stored" });
      expect(sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM insight_feedback").one().n).toBe(2);
    });
  });
});
