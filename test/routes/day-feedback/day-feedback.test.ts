import { describe, expect, it } from "vitest";
import { z } from "zod";
import { IdsSchema } from "../../../src/records/schemas";
import { DayFeedbackSchema } from "../../../src/routes/day-feedback/schemas";
import { asViewer, create, dayFeedbackItem, expectRefused, longNote, share, storedRows } from "../../fixtures/records";
import { call, expectError, expectSchema, newUser, read, type TestUser } from "../../helpers";

const MARCH = "/v1/day-feedback?start_day=2024-03-01&end_day=2024-03-31";

const list = async (user: TestUser, path = MARCH) => {
  const res = await call("GET", path, { token: user.access });
  expect(res.status, res.text).toBe(200);
  return expectSchema(z.array(DayFeedbackSchema), res.body);
};

describe("POST /v1/day-feedback (contract §7)", () => {
  it("stores DAY and SLEEP answers; the local day is the date in the offset sent", async () => {
    const user = await newUser();
    const res = await call("POST", "/v1/day-feedback", {
      token: user.access,
      body: [
        dayFeedbackItem({ datetime: "2024-03-20T23:30:00-05:00", tag: 3, note: "long day" }), // 2024-03-21T04:30Z
        dayFeedbackItem({ datetime: "2024-03-21T07:45:00+01:00", type: 6, value: 2 }),
      ],
    });
    expect(res.status, res.text).toBe(201);
    const [day, sleep] = expectSchema(IdsSchema, res.body);
    const answers = await list(user);
    expect(answers).toEqual([
      {
        id: day,
        type: 5,
        value: 4,
        datetime: "2024-03-21T04:30:00.000Z",
        day: "2024-03-20",
        tag: 3,
        note: "long day",
        created: answers[0]?.created,
        lastUpdated: answers[0]?.created,
      },
      {
        id: sleep,
        type: 6,
        value: 2,
        datetime: "2024-03-21T06:45:00.000Z",
        day: "2024-03-21",
        tag: null,
        created: answers[1]?.created,
        lastUpdated: answers[1]?.created,
      },
    ]);
  });

  it("a second answer to the same question on the same local day replaces the first and keeps its id", async () => {
    const user = await newUser();
    const [first] = await create(user, "/v1/day-feedback", [dayFeedbackItem({ value: 2, note: "meh" })]);
    const [before] = await list(user);
    const [again] = await create(user, "/v1/day-feedback", [
      dayFeedbackItem({ datetime: "2024-03-20T23:55:00+01:00", value: 5 }),
    ]);
    expect(again).toBe(first);
    const answers = await list(user);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      id: first,
      value: 5,
      datetime: "2024-03-20T22:55:00.000Z",
      created: before?.created,
    });
    expect(answers[0]?.note).toBeUndefined();

    // Another question that day, and the same question another day, are separate answers.
    await create(user, "/v1/day-feedback", [
      dayFeedbackItem({ type: 6 }),
      dayFeedbackItem({ datetime: "2024-03-21T20:00:00Z" }),
    ]);
    expect((await list(user)).map((a) => [a.day, a.type])).toEqual([
      ["2024-03-20", 5],
      ["2024-03-20", 6],
      ["2024-03-21", 5],
    ]);
  });

  it("within one batch, the later answer for a day wins", async () => {
    const user = await newUser();
    const ids = await create(user, "/v1/day-feedback", [dayFeedbackItem({ value: 1 }), dayFeedbackItem({ value: 3 })]);
    expect(ids[0]).toBe(ids[1]);
    expect((await list(user)).map((a) => a.value)).toEqual([3]);
  });

  it("accepts every SubjectiveInputType 0-6 (contract §7 enum) and lists each as its own answer", async () => {
    const user = await newUser();
    const types = [0, 1, 2, 3, 4, 5, 6];
    const ids = await create(
      user,
      "/v1/day-feedback",
      types.map((type) => dayFeedbackItem({ type, value: (type % 5) + 1 })),
    );
    expect(new Set(ids).size).toBe(7);
    const answers = await list(user);
    expect(answers.map((a) => [a.type, a.value, a.day])).toEqual(types.map((t) => [t, (t % 5) + 1, "2024-03-20"]));
    // One answer per (type, local day) holds for the first five too.
    const [again] = await create(user, "/v1/day-feedback", [dayFeedbackItem({ type: 3, value: 1 })]);
    expect(again).toBe(ids[3]);
    expect((await list(user)).find((a) => a.type === 3)?.value).toBe(1);
  });

  const bad: [string, unknown, string][] = [
    [
      "an unknown type",
      [dayFeedbackItem({ type: 7 })],
      "[0].type: subjective input type must be one of 0, 1, 2, 3, 4, 5, 6",
    ],
    ["a negative type", [dayFeedbackItem({ type: -1 })], "[0].type"],
    ["a value of 6 for a type 0-4", [dayFeedbackItem({ type: 3, value: 6 })], "[0].value"],
    ["a value of 6", [dayFeedbackItem({ value: 6 })], "[0].value: day feedback value must be one of 1, 2, 3, 4, 5"],
    ["a value of 0", [dayFeedbackItem({ value: 0 })], "[0].value"],
    ["a fractional value", [dayFeedbackItem({ value: 2.5 })], "[0].value"],
    ["an unknown tag", [dayFeedbackItem({ tag: 9 })], "[0].tag"],
    [
      "a date-time that is not ISO-8601",
      [dayFeedbackItem({ datetime: "2024-03-20" })],
      "[0].datetime: must be an ISO-8601 date-time",
    ],
    [
      "a note over 2,000 characters",
      [dayFeedbackItem({ note: longNote(2001) })],
      "[0].note: must be at most 2000 characters",
    ],
    [
      "a batch over 1,000 elements",
      Array.from({ length: 1001 }, () => dayFeedbackItem()),
      "a batch holds at most 1000 elements",
    ],
    ["one bad element among good ones", [dayFeedbackItem(), dayFeedbackItem({ type: 6, value: "4" })], "[1].value"],
  ];
  for (const [name, body, mention] of bad) {
    it(`refuses ${name} with 400 and stores nothing`, async () => {
      const user = await newUser();
      await expectRefused(await call("POST", "/v1/day-feedback", { token: user.access, body }), user, mention);
    });
  }

  it("refuses no token (401) and shared-user (403), storing nothing", async () => {
    const user = await newUser();
    const other = await newUser("other");
    expectError(await call("POST", "/v1/day-feedback", { body: [dayFeedbackItem()] }), 401, "UNAUTHORIZED");
    await expectRefused(
      await call("POST", "/v1/day-feedback", { ...asViewer(user, other), body: [dayFeedbackItem()] }),
      user,
      "read-only",
      403,
    );
  });
});

describe("GET /v1/day-feedback", () => {
  it("selects by local day, inclusive", async () => {
    const user = await newUser();
    await create(user, "/v1/day-feedback", [
      dayFeedbackItem({ datetime: "2024-02-29T23:00:00-02:00" }), // day 02-29, although 03-01 in UTC
      dayFeedbackItem({ datetime: "2024-03-01T00:30:00+02:00" }), // day 03-01, although 02-29 in UTC
      dayFeedbackItem({ datetime: "2024-03-31T21:00:00Z", type: 6 }),
      dayFeedbackItem({ datetime: "2024-04-01T01:00:00+03:00" }),
    ]);
    expect((await list(user)).map((a) => a.day)).toEqual(["2024-03-01", "2024-03-31"]);
    expect((await list(user, "/v1/day-feedback?start_day=2024-02-29&end_day=2024-02-29")).map((a) => a.day)).toEqual([
      "2024-02-29",
    ]);
  });

  it("refuses a bad range (400), no token (401) and shared-user without a share (403)", async () => {
    const user = await newUser();
    const other = await newUser("other");
    for (const path of [
      "/v1/day-feedback",
      "/v1/day-feedback?start_day=2024-03-02&end_day=2024-03-01",
      "/v1/day-feedback?start_day=2024-3-1&end_day=2024-03-01",
      "/v1/day-feedback?start_day=2023-01-01&end_day=2024-03-01",
    ]) {
      expectError(await call("GET", path, { token: user.access }), 400, "VALIDATION_FAILED");
    }
    expectError(await call("GET", MARCH), 401, "UNAUTHORIZED");
    expectError(await call("GET", MARCH, asViewer(other, user)), 403, "FORBIDDEN");
    expect(await storedRows(user)).toBe(0);
  });

  it("a viewer sees only answers given at or after sharedSince", async () => {
    const owner = await newUser("owner");
    const viewer = await newUser("viewer");
    await create(owner, "/v1/day-feedback", [
      dayFeedbackItem({ datetime: "2024-03-09T22:00:00Z" }),
      dayFeedbackItem({ datetime: "2024-03-10T07:00:00Z", type: 6 }),
    ]);
    await share(owner, viewer, { shareSince: "2024-03-10T00:00:00Z" });
    const res = await read(MARCH, asViewer(viewer, owner), z.array(DayFeedbackSchema));
    expect(res.map((a) => [a.day, a.type])).toEqual([["2024-03-10", 6]]);
    expectError(await call("POST", "/v1/day-feedback", { ...asViewer(viewer, owner), body: [dayFeedbackItem()] }), 403);
    expect(await list(owner)).toHaveLength(2);
  });
});
