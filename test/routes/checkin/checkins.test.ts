import { describe, expect, it } from "vitest";
import { z } from "zod";
import { IdsSchema } from "../../../src/records/schemas";
import { CheckinSchema } from "../../../src/routes/checkin/schemas";
import { asViewer, checkinItem, create, expectRefused, longNote, share, storedRows } from "../../fixtures/records";
import { call, expectError, expectSchema, newUser, read } from "../../helpers";

const Checkins = z.array(CheckinSchema);

const MARCH = "/v1/checkin?start_day=2024-03-01&end_day=2024-03-31";

describe("POST /v1/checkin", () => {
  it("stores a batch, answers the ids in order, and GET {id} answers the record in camelCase", async () => {
    const user = await newUser();
    const res = await call("POST", "/v1/checkin", {
      token: user.access,
      body: [
        checkinItem(),
        checkinItem({
          datetime: "2024-03-21T07:00:00Z",
          origin: "APP",
          related_feelings: undefined,
          context: undefined,
          note: undefined,
        }),
      ],
    });
    expect(res.status, res.text).toBe(201);
    const [first, second] = expectSchema(IdsSchema, res.body);
    const got = await call("GET", `/v1/checkin/${first}`, { token: user.access });
    expect(got.status, got.text).toBe(200);
    const checkin = expectSchema(CheckinSchema, got.body);
    expect(checkin).toEqual({
      id: first,
      datetime: "2024-03-20T09:30:00.000Z",
      origin: "CROWN_PRESS",
      reactivity: "CENTERED",
      valence: "NEUTRAL",
      relatedFeelings: ["HAPPY", "MOTIVATED"],
      context: ["WORKING", "MEETING"],
      note: "before the review",
      created: checkin.created,
      lastUpdated: checkin.created,
    });
    const bare = (await call("GET", `/v1/checkin/${second}`, { token: user.access })).body;
    expect(bare).toMatchObject({ origin: "APP", relatedFeelings: [], context: [], note: "" });
  });

  it("drops repeated feelings and contexts, keeping their order", async () => {
    const user = await newUser();
    const [id] = await create(user, "/v1/checkin", [
      checkinItem({ related_feelings: ["TIRED", "CALM", "TIRED"], context: ["IN_BED", "IN_BED"] }),
    ]);
    const got = (await call("GET", `/v1/checkin/${id}`, { token: user.access })).body;
    expect(got).toMatchObject({ relatedFeelings: ["TIRED", "CALM"], context: ["IN_BED"] });
  });

  const bad: [string, unknown, string][] = [
    ["an unknown origin", [checkinItem({ origin: "WATCH" })], "[0].origin: origin must be one of CROWN_PRESS, APP"],
    ["an enum in the wrong case", [checkinItem({ reactivity: "centered" })], "[0].reactivity"],
    ["an unknown valence", [checkinItem({ valence: "MEH" })], "[0].valence"],
    ["an unknown feeling", [checkinItem({ related_feelings: ["HAPPY", "HANGRY"] })], "[0].related_feelings[1]"],
    ["an unknown context", [checkinItem({ context: ["SHOPPING"] })], "[0].context[0]"],
    ["a numeric enum value", [checkinItem({ origin: 1 })], "[0].origin"],
    ["a missing reactivity", [checkinItem({ reactivity: undefined })], "[0].reactivity"],
    [
      "a date-time that is not ISO-8601",
      [checkinItem({ datetime: "2024-03-20 10:30" })],
      "[0].datetime: must be an ISO-8601 date-time",
    ],
    [
      "a note over 2,000 characters",
      [checkinItem({ note: longNote(2001) })],
      "[0].note: must be at most 2000 characters",
    ],
    [
      "a batch over 1,000 elements",
      Array.from({ length: 1001 }, () => checkinItem()),
      "a batch holds at most 1000 elements",
    ],
    [
      "one bad element among good ones",
      [checkinItem(), checkinItem(), checkinItem({ valence: "GOOD" })],
      "[2].valence: valence must be one of",
    ],
    ["a body that is not an array", checkinItem(), "the body must be a JSON array"],
  ];
  for (const [name, body, mention] of bad) {
    it(`refuses ${name} with 400 and stores nothing`, async () => {
      const user = await newUser();
      await expectRefused(await call("POST", "/v1/checkin", { token: user.access, body }), user, mention);
    });
  }

  it("accepts a 2,000-character note", async () => {
    const user = await newUser();
    const [id] = await create(user, "/v1/checkin", [checkinItem({ note: longNote(2000) })]);
    expect((await read(`/v1/checkin/${id}`, { token: user.access }, CheckinSchema)).note).toHaveLength(2000);
  });

  it("refuses no token (401) and shared-user (403), storing nothing", async () => {
    const user = await newUser();
    const other = await newUser("other");
    expectError(await call("POST", "/v1/checkin", { body: [checkinItem()] }), 401, "UNAUTHORIZED");
    await expectRefused(
      await call("POST", "/v1/checkin", { ...asViewer(user, other), body: [checkinItem()] }),
      user,
      "read-only",
      403,
    );
  });
});

describe("GET /v1/checkin", () => {
  it("lists the check-ins on the UTC days of the range, ordered by datetime", async () => {
    const user = await newUser();
    const ids = await create(user, "/v1/checkin", [
      checkinItem({ datetime: "2024-03-31T23:59:59Z" }),
      checkinItem({ datetime: "2024-03-01T00:00:00Z" }),
      checkinItem({ datetime: "2024-04-01T00:30:00+01:00" }), // 2024-03-31T23:30Z: in March (UTC)
      checkinItem({ datetime: "2024-02-29T23:59:59Z" }),
      checkinItem({ datetime: "2024-04-01T00:00:00Z" }),
    ]);
    const res = await call("GET", MARCH, { token: user.access });
    expect(res.status, res.text).toBe(200);
    const list = expectSchema(z.array(CheckinSchema), res.body);
    expect(list.map((c) => c.id)).toEqual([ids[1], ids[2], ids[0]]);
    const oneDay = await read("/v1/checkin?start_day=2024-04-01&end_day=2024-04-01", { token: user.access }, Checkins);
    expect(oneDay.map((c) => c.id)).toEqual([ids[4]]);
  });

  const bad: [string, string, string][] = [
    ["no range", "/v1/checkin", "start_day"],
    [
      "a start after the end",
      "/v1/checkin?start_day=2024-03-02&end_day=2024-03-01",
      "start_day must not be after end_day",
    ],
    [
      "a date-time instead of a day",
      "/v1/checkin?start_day=2024-03-01T00:00:00Z&end_day=2024-03-02",
      "start_day: must be a date in YYYY-MM-DD format",
    ],
    ["over 366 days", "/v1/checkin?start_day=2024-01-01&end_day=2025-01-01", "at most 366 days"],
  ];
  for (const [name, path, mention] of bad) {
    it(`refuses ${name} with 400`, async () => {
      const user = await newUser();
      const res = await call("GET", path, { token: user.access });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.message.join(" | "), res.text).toContain(mention);
    });
  }
});

describe("GET and DELETE /v1/checkin/{id}", () => {
  it("DELETE removes one check-in; then GET and DELETE answer 404", async () => {
    const user = await newUser();
    const [gone, kept] = await create(user, "/v1/checkin", [checkinItem(), checkinItem()]);
    const res = await call("DELETE", `/v1/checkin/${gone}`, { token: user.access });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: "success" });
    expectError(await call("GET", `/v1/checkin/${gone}`, { token: user.access }), 404, "NOT_FOUND");
    expectError(await call("DELETE", `/v1/checkin/${gone}`, { token: user.access }), 404, "NOT_FOUND");
    expect((await read(MARCH, { token: user.access }, Checkins)).map((c) => c.id)).toEqual([kept]);
  });

  it("answers 404 for unknown ids and another user's check-in; no token → 401; shared-user DELETE → 403", async () => {
    const owner = await newUser("owner");
    const stranger = await newUser("stranger");
    const [id] = await create(owner, "/v1/checkin", [checkinItem()]);
    expectError(await call("GET", `/v1/checkin/${crypto.randomUUID()}`, { token: owner.access }), 404, "NOT_FOUND");
    expectError(await call("GET", `/v1/checkin/${id}`, { token: stranger.access }), 404, "NOT_FOUND");
    expectError(await call("DELETE", `/v1/checkin/${id}`, { token: stranger.access }), 404, "NOT_FOUND");
    expectError(await call("GET", `/v1/checkin/${id}`), 401, "UNAUTHORIZED");
    expectError(await call("DELETE", `/v1/checkin/${id}`), 401, "UNAUTHORIZED");
    expectError(await call("GET", MARCH), 401, "UNAUTHORIZED");
    expectError(await call("DELETE", `/v1/checkin/${id}`, asViewer(owner, stranger)), 403, "FORBIDDEN");
    expectError(await call("GET", `/v1/checkin/${id}`, asViewer(stranger, owner)), 403, "FORBIDDEN");
    expectError(await call("GET", MARCH, asViewer(stranger, owner)), 403, "FORBIDDEN");
    expect((await call("GET", `/v1/checkin/${id}`, { token: owner.access })).status).toBe(200);
    expect(await storedRows(stranger)).toBe(0);
  });
});

describe("check-ins through a share", () => {
  it("a viewer sees only check-ins at or after sharedSince, and no write", async () => {
    const owner = await newUser("owner");
    const viewer = await newUser("viewer");
    const [before, after] = await create(owner, "/v1/checkin", [
      checkinItem({ datetime: "2024-03-10T11:59:59Z" }),
      checkinItem({ datetime: "2024-03-10T12:00:00Z" }),
    ]);
    await share(owner, viewer, { shareSince: "2024-03-10T12:00:00Z", types: ["CHECKINS"] });
    const list = await read(MARCH, asViewer(viewer, owner), Checkins);
    expect(list.map((c) => c.id)).toEqual([after]);
    expect((await call("GET", `/v1/checkin/${after}`, asViewer(viewer, owner))).status).toBe(200);
    expectError(await call("GET", `/v1/checkin/${before}`, asViewer(viewer, owner)), 404, "NOT_FOUND");
    expectError(await call("POST", "/v1/checkin", { ...asViewer(viewer, owner), body: [checkinItem()] }), 403);
    expectError(await call("DELETE", `/v1/checkin/${after}`, asViewer(viewer, owner)), 403, "FORBIDDEN");
    // CHECKINS only: sessions stay closed.
    expectError(
      await call("GET", "/v1/session?start_date=2024-03-01&end_date=2024-03-31", asViewer(viewer, owner)),
      403,
    );
    expect((await call("GET", MARCH, { token: owner.access })).body).toHaveLength(2);
  });
});
