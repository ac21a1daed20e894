import { describe, expect, it } from "vitest";
import { z } from "zod";
import { IdsSchema } from "../../../src/records/schemas";
import { SessionSchema } from "../../../src/routes/session/schemas";
import {
  activityItem,
  asViewer,
  create,
  expectRefused,
  intentionItem,
  longNote,
  share,
  storedRows,
} from "../../fixtures/records";
import { call, expectBody, expectError, expectObject, expectSchema, newUser, read } from "../../helpers";

const YEAR_2024 = "/v1/session?start_date=2024-01-01&end_date=2024-12-31";
const Sessions = z.array(SessionSchema);

describe("POST /v1/session (contract §6)", () => {
  it("stores a batch and answers the created ids in order; GET answers the contract's response shape", async () => {
    const user = await newUser();
    const res = await call("POST", "/v1/session", {
      token: user.access,
      body: [
        activityItem(),
        intentionItem(),
        activityItem({ start_datetime: "2024-03-21T07:00:00+02:00", end_datetime: null }),
      ],
    });
    expect(res.status, res.text).toBe(201);
    const ids = expectSchema(IdsSchema, res.body);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);

    const activity = await call("GET", `/v1/session/${ids[0]}`, { token: user.access });
    expect(activity.status, activity.text).toBe(200);
    const got = expectSchema(SessionSchema, activity.body);
    expect(got).toEqual({
      id: ids[0],
      startDatetime: "2024-03-20T13:00:00.000Z",
      endDatetime: "2024-03-20T13:45:00.000Z",
      created: got.created,
      lastUpdated: got.created,
      type: 12,
      info: { name: "Early afternoon cycle", note: "", subjectiveInputs: [], origin: 1 },
    });
    expect(Object.keys(expectObject(activity.body))).toEqual([
      "id",
      "startDatetime",
      "endDatetime",
      "created",
      "lastUpdated",
      "type",
      "info",
    ]);
    expect(activity.text).not.toContain("userId");

    const intention = await read(`/v1/session/${ids[1]}`, { token: user.access }, SessionSchema);
    expect(intention.info).toEqual({
      name: "Morning calm",
      note: "before work",
      subjectiveInputs: [{ datetime: "2024-03-20T08:10:00.000Z", type: 2, value: 4, tag: 2, note: "better" }],
      tool: "breathing",
    });

    // Ongoing: endDatetime null; the offset is normalized to UTC.
    const ongoing = await call("GET", `/v1/session/${ids[2]}`, { token: user.access });
    expect(ongoing.body).toMatchObject({ startDatetime: "2024-03-21T05:00:00.000Z", endDatetime: null });
  });

  it("answers a subjective input without tag or note with tag null and no note", async () => {
    const user = await newUser();
    const [id] = await create(user, "/v1/session", [
      intentionItem({ info: { subjective_inputs: [{ datetime: "2024-03-20T08:00:00Z", type: 0, value: 3 }] } }),
    ]);
    const res = await read(`/v1/session/${id}`, { token: user.access }, SessionSchema);
    expect(res.info).toEqual({
      name: "",
      note: "",
      subjectiveInputs: [{ datetime: "2024-03-20T08:00:00.000Z", type: 0, value: 3, tag: null }],
    });
  });

  it("accepts a fractional rating on the 1-5 scale for types 0-4, and the scale's ends", async () => {
    const user = await newUser();
    const inputs = [
      { datetime: "2024-03-20T08:00:00Z", type: 0, value: 1 },
      { datetime: "2024-03-20T08:01:00Z", type: 3, value: 3.5 },
      { datetime: "2024-03-20T08:02:00Z", type: 4, value: 5 },
    ];
    const [id] = await create(user, "/v1/session", [intentionItem({ info: { subjective_inputs: inputs } })]);
    const res = await read(`/v1/session/${id}`, { token: user.access }, SessionSchema);
    expect(res.info.subjectiveInputs.map((i) => i.value)).toEqual([1, 3.5, 5]);
  });

  it("accepts the limits exactly: 1,000 elements, a 2,000-character note, type 122, end equal to start", async () => {
    const user = await newUser();
    // Every note at the limit: ~2.2 MB, over the default 1 MB JSON body limit, within the records batch limit.
    const batch = Array.from({ length: 1000 }, (_, i) =>
      activityItem({
        start_datetime: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
        end_datetime: null,
        info: { note: longNote(2000) },
      }),
    );
    batch[0] = activityItem({
      type: 122,
      end_datetime: "2024-03-20T13:00:00Z",
      info: { note: longNote(2000), name: longNote(150) },
    });
    const ids = await create(user, "/v1/session", batch);
    expect(ids).toHaveLength(1000);
    const first = await read(`/v1/session/${ids[0]}`, { token: user.access }, SessionSchema);
    expect(first.info.note).toHaveLength(2000);
  });

  it("accepts an empty batch (201 []) and refuses a body over 4 MB with 413", async () => {
    const user = await newUser();
    const empty = await call("POST", "/v1/session", { token: user.access, body: [] });
    expect(empty.status, empty.text).toBe(201);
    expect(empty.body).toEqual([]);
    const huge = `[${JSON.stringify(activityItem({ info: { note: longNote(4 * 1024 * 1024) } }))}]`;
    const res = await call("POST", "/v1/session", { token: user.access, raw: huge, contentType: "application/json" });
    expectError(res, 413, "PAYLOAD_TOO_LARGE");
    expect(await storedRows(user)).toBe(0);
  });

  it("is lenient about the kind: subjective inputs on an activity type are accepted on /v1/session", async () => {
    const user = await newUser();
    const [id] = await create(user, "/v1/session", [
      activityItem({ info: { subjective_inputs: [{ datetime: "2024-03-20T13:50:00Z", type: 2, value: 5 }] } }),
    ]);
    expect((await read(`/v1/session/${id}`, { token: user.access }, SessionSchema)).info.subjectiveInputs).toHaveLength(
      1,
    );
  });

  const bad: [string, unknown, string][] = [
    ["an unknown session type", [activityItem({ type: 123 })], "[0].type: type must be an integer from 0 to 122"],
    ["a negative session type", [activityItem({ type: -1 })], "[0].type"],
    ["a fractional session type", [activityItem({ type: 1.5 })], "[0].type"],
    [
      "an unknown origin",
      [activityItem({ info: { origin: 6 } })],
      "[0].info.origin: origin must be one of 0, 1, 2, 3, 4, 5",
    ],
    [
      "an unknown subjective input type",
      [intentionItem({ info: { subjective_inputs: [{ datetime: "2024-03-20T08:00:00Z", type: 7, value: 1 }] } })],
      "[0].info.subjective_inputs[0].type",
    ],
    [
      "an unknown intention tag",
      [
        intentionItem({
          info: { subjective_inputs: [{ datetime: "2024-03-20T08:00:00Z", type: 0, value: 1, tag: 4 }] },
        }),
      ],
      "[0].info.subjective_inputs[0].tag",
    ],
    [
      "a DAY answer outside 1-5",
      [intentionItem({ info: { subjective_inputs: [{ datetime: "2024-03-20T08:00:00Z", type: 5, value: 6 }] } })],
      "[0].info.subjective_inputs[0].value: must be from 1 to 5",
    ],
    [
      "a fractional SLEEP answer",
      [intentionItem({ info: { subjective_inputs: [{ datetime: "2024-03-20T08:00:00Z", type: 6, value: 3.5 }] } })],
      "[0].info.subjective_inputs[0].value: must be 1, 2, 3, 4 or 5 for DAY and SLEEP",
    ],
    ...(
      [
        ["1e308", 0, 1e308],
        ["-1e308", 3, -1e308],
        ["0", 4, 0],
        ["6", 1, 6],
      ] as const
    ).map(([what, type, value]): [string, unknown, string] => [
      `a value of ${what} for type ${type} (the five-point scale)`,
      [intentionItem({ info: { subjective_inputs: [{ datetime: "2024-03-20T08:00:00Z", type, value }] } })],
      "[0].info.subjective_inputs[0].value: must be from 1 to 5",
    ]),
    [
      "end before start",
      [activityItem({ end_datetime: "2024-03-20T12:59:59Z" })],
      "[0].end_datetime: must not be before start_datetime",
    ],
    [
      "a date-time that is not ISO-8601",
      [activityItem({ start_datetime: "20/03/2024 13:00" })],
      "[0].start_datetime: must be an ISO-8601 date-time",
    ],
    ["a date-time without offset", [activityItem({ start_datetime: "2024-03-20T13:00:00" })], "[0].start_datetime"],
    ["an impossible date", [activityItem({ start_datetime: "2024-02-30T13:00:00Z" })], "[0].start_datetime"],
    [
      "a date-time before 1970",
      [activityItem({ start_datetime: "1969-12-31T23:00:00Z", end_datetime: null })],
      "[0].start_datetime",
    ],
    ["a non-ISO end", [activityItem({ end_datetime: "tomorrow" })], "[0].end_datetime"],
    [
      "a non-ISO subjective input datetime",
      [intentionItem({ info: { subjective_inputs: [{ datetime: "1710921600", type: 0, value: 1 }] } })],
      "[0].info.subjective_inputs[0].datetime",
    ],
    [
      "a note over 2,000 characters",
      [activityItem({ info: { note: longNote(2001) } })],
      "[0].info.note: must be at most 2000 characters",
    ],
    [
      "a subjective input note over 2,000 characters",
      [
        intentionItem({
          info: { subjective_inputs: [{ datetime: "2024-03-20T08:00:00Z", type: 0, value: 1, note: longNote(2001) }] },
        }),
      ],
      "[0].info.subjective_inputs[0].note",
    ],
    ["a name over 150 characters", [activityItem({ info: { name: longNote(151) } })], "[0].info.name"],
    ["a missing info", [{ start_datetime: "2024-03-20T13:00:00Z", type: 3 }], "[0].info"],
    ["a missing start", [{ type: 3, info: {} }], "[0].start_datetime"],
    ["a string type", [activityItem({ type: "12" })], "[0].type"],
    ["a body that is not an array", activityItem(), "the body must be a JSON array"],
    [
      "a batch over 1,000 elements",
      Array.from({ length: 1001 }, () => activityItem()),
      "a batch holds at most 1000 elements",
    ],
    [
      "one bad element among good ones",
      [
        activityItem(),
        activityItem(),
        intentionItem(),
        activityItem({ start_datetime: "2024-13-01T00:00:00Z" }),
        activityItem(),
      ],
      "[3].start_datetime: must be an ISO-8601 date-time",
    ],
  ];
  for (const [name, body, mention] of bad) {
    it(`refuses ${name} with 400, naming it, and stores nothing`, async () => {
      const user = await newUser();
      await expectRefused(await call("POST", "/v1/session", { token: user.access, body }), user, mention);
    });
  }

  it("refuses no token (401), a bad token (401) and a write with shared-user (403), storing nothing", async () => {
    const user = await newUser();
    const other = await newUser("other");
    expectError(await call("POST", "/v1/session", { body: [activityItem()] }), 401, "UNAUTHORIZED");
    expectError(await call("POST", "/v1/session", { token: "not.a.jwt", body: [activityItem()] }), 401, "UNAUTHORIZED");
    await expectRefused(
      await call("POST", "/v1/session", {
        token: user.access,
        body: [activityItem()],
        headers: { "shared-user": other.id },
      }),
      user,
      "read-only",
      403,
    );
    expect(await storedRows(other)).toBe(0);
  });
});

describe("GET /v1/session (contract §6)", () => {
  it("lists sessions starting in the range, oldest first; days are whole UTC days, date-times are instants", async () => {
    const user = await newUser();
    const at = (iso: string) => activityItem({ start_datetime: iso, end_datetime: null });
    const ids = await create(user, "/v1/session", [
      at("2024-03-02T00:00:00Z"),
      at("2024-03-01T00:00:00Z"),
      at("2024-02-29T23:59:59.999Z"),
      intentionItem({ start_datetime: "2024-03-31T23:59:59.999Z", end_datetime: null }),
      at("2024-04-01T00:00:00Z"),
    ]);
    const res = await call("GET", "/v1/session?start_date=2024-03-01&end_date=2024-03-31", { token: user.access });
    expect(res.status, res.text).toBe(200);
    const sessions = expectSchema(z.array(SessionSchema), res.body);
    expect(sessions.map((s) => s.id)).toEqual([ids[1], ids[0], ids[3]]);
    // A session listed has the same shape as GET {id}.
    expect(sessions[0]).toEqual((await call("GET", `/v1/session/${ids[1]}`, { token: user.access })).body);

    const instants = await read(
      "/v1/session?start_date=2024-03-01T00:00:00.001Z&end_date=2024-04-01T02:00:00%2B02:00",
      { token: user.access },
      Sessions,
    );
    expect(instants.map((s) => s.id)).toEqual([ids[0], ids[3], ids[4]]);
  });

  it("lists a year of 5,000 sessions stored in batches of 1,000", async () => {
    const user = await newUser();
    const start = Date.UTC(2024, 0, 1);
    for (let b = 0; b < 5; b++) {
      const batch = Array.from({ length: 1000 }, (_, i) =>
        activityItem({
          start_datetime: new Date(start + (b * 1000 + i) * 6_300_000).toISOString(),
          end_datetime: null,
          type: 1 + ((b + i) % 122),
        }),
      );
      await create(user, "/v1/session", batch);
    }
    const res = await read(YEAR_2024, { token: user.access }, Sessions);
    expect(res).toHaveLength(5000);
    const starts = res.map((s) => s.startDatetime);
    expect(starts).toEqual(starts.toSorted());
  });

  const bad: [string, string, string][] = [
    ["no range", "/v1/session", "start_date"],
    ["no end", "/v1/session?start_date=2024-01-01", "end_date"],
    [
      "a start after the end",
      "/v1/session?start_date=2024-02-01&end_date=2024-01-31",
      "start_date: must not be after end_date",
    ],
    [
      "a day that is not ISO",
      "/v1/session?start_date=01-02-2024&end_date=2024-02-01",
      "start_date: must be a YYYY-MM-DD date or an ISO-8601 date-time",
    ],
    [
      "a range over 366 days",
      "/v1/session?start_date=2024-01-01&end_date=2025-01-01",
      "end_date: the range must span at most 366 days",
    ],
  ];
  for (const [name, path, mention] of bad) {
    it(`refuses ${name} with 400`, async () => {
      const user = await newUser();
      const res = await call("GET", path, { token: user.access });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.message.join(" | "), res.text).toContain(mention);
    });
  }

  it("refuses no token (401) and shared-user without a share (403)", async () => {
    const user = await newUser();
    const other = await newUser("other");
    await create(user, "/v1/session", [activityItem()]);
    expectError(await call("GET", YEAR_2024), 401, "UNAUTHORIZED");
    expectError(await call("GET", YEAR_2024, asViewer(other, user)), 403, "FORBIDDEN");
    expectError(await call("GET", YEAR_2024, { token: other.access, headers: { "shared-user": "someone" } }), 400);
    // Another user's own list holds none of the user's sessions.
    expect((await call("GET", YEAR_2024, { token: other.access })).body).toEqual([]);
  });
});

describe("GET, PUT and DELETE /v1/session/{id}", () => {
  it("PUT ends an ongoing session, reopens it, and replaces only the info keys sent", async () => {
    const user = await newUser();
    const [id] = await create(user, "/v1/session", [
      intentionItem({ end_datetime: undefined, info: { ...intentionItem().info, note: "keep me" } }),
    ]);
    const before = expectSchema(SessionSchema, (await call("GET", `/v1/session/${id}`, { token: user.access })).body);
    expect(before.endDatetime).toBeNull();

    const ended = await call("PUT", `/v1/session/${id}`, {
      token: user.access,
      body: { end_datetime: "2024-03-20T08:30:00+00:00", info: { name: "Renamed" } },
    });
    expect(ended.status, ended.text).toBe(200);
    const after = expectSchema(SessionSchema, ended.body);
    expect(after).toMatchObject({
      id,
      startDatetime: before.startDatetime,
      endDatetime: "2024-03-20T08:30:00.000Z",
      created: before.created,
      info: { ...before.info, name: "Renamed", note: "keep me" },
    });
    expect(after.lastUpdated >= before.lastUpdated).toBe(true);
    expect((await call("GET", `/v1/session/${id}`, { token: user.access })).body).toEqual(after);

    const reopened = await call("PUT", `/v1/session/${id}`, { token: user.access, body: { end_datetime: null } });
    expect(expectBody(reopened, 200, SessionSchema).endDatetime).toBeNull();
  });

  it("PUT refuses a change that puts the end before the start (stored or sent), and changes nothing", async () => {
    const user = await newUser();
    const [id] = await create(user, "/v1/session", [activityItem()]);
    const before = (await call("GET", `/v1/session/${id}`, { token: user.access })).body;
    const later = await call("PUT", `/v1/session/${id}`, {
      token: user.access,
      body: { start_datetime: "2024-03-20T14:00:00Z" },
    });
    expectError(later, 400, "VALIDATION_FAILED");
    expect(later.body.message).toEqual(["end_datetime: must not be before start_datetime"]);
    const both = await call("PUT", `/v1/session/${id}`, {
      token: user.access,
      body: { start_datetime: "2024-03-20T14:00:00Z", end_datetime: "2024-03-20T13:00:00Z" },
    });
    expectError(both, 400);
    expect(both.body.message).toEqual(["end_datetime: must not be before start_datetime"]);
    for (const body of [
      { type: 200 },
      { info: { origin: 9 } },
      { end_datetime: "soon" },
      { info: { note: longNote(2001) } },
    ]) {
      expectError(await call("PUT", `/v1/session/${id}`, { token: user.access, body }), 400);
    }
    expect((await call("GET", `/v1/session/${id}`, { token: user.access })).body).toEqual(before);
  });

  it("DELETE removes the session; a second DELETE, GET and PUT answer 404", async () => {
    const user = await newUser();
    const [id, keep] = await create(user, "/v1/session", [activityItem(), intentionItem()]);
    const res = await call("DELETE", `/v1/session/${id}`, { token: user.access });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: "success" });
    expectError(await call("DELETE", `/v1/session/${id}`, { token: user.access }), 404, "NOT_FOUND");
    expectError(await call("GET", `/v1/session/${id}`, { token: user.access }), 404, "NOT_FOUND");
    expectError(await call("PUT", `/v1/session/${id}`, { token: user.access, body: { end_datetime: null } }), 404);
    expect((await read(YEAR_2024, { token: user.access }, Sessions)).map((s) => s.id)).toEqual([keep]);
  });

  it("answers 404 for unknown ids and for another user's session, which stays untouched", async () => {
    const owner = await newUser("owner");
    const stranger = await newUser("stranger");
    const [id] = await create(owner, "/v1/session", [activityItem()]);
    const before = (await call("GET", `/v1/session/${id}`, { token: owner.access })).body;
    for (const unknown of [crypto.randomUUID(), "not-a-uuid"]) {
      expectError(await call("GET", `/v1/session/${unknown}`, { token: owner.access }), 404, "NOT_FOUND");
    }
    expectError(await call("GET", `/v1/session/${id}`, { token: stranger.access }), 404, "NOT_FOUND");
    expectError(await call("PUT", `/v1/session/${id}`, { token: stranger.access, body: { end_datetime: null } }), 404);
    expectError(await call("DELETE", `/v1/session/${id}`, { token: stranger.access }), 404, "NOT_FOUND");
    expect((await call("GET", `/v1/session/${id}`, { token: owner.access })).body).toEqual(before);
    expect(await storedRows(stranger)).toBe(0);
  });

  it("refuses no token (401) on every operation, and writes with shared-user (403)", async () => {
    const user = await newUser();
    const [id] = await create(user, "/v1/session", [activityItem()]);
    for (const [method, body] of [["GET"], ["PUT", { end_datetime: null }], ["DELETE"]] as const) {
      expectError(await call(method, `/v1/session/${id}`, { body }), 401, "UNAUTHORIZED");
    }
    const viaShare = { token: user.access, headers: { "shared-user": (await newUser("x")).id } };
    expectError(
      await call("PUT", `/v1/session/${id}`, { ...viaShare, body: { end_datetime: null } }),
      403,
      "FORBIDDEN",
    );
    expectError(await call("DELETE", `/v1/session/${id}`, viaShare), 403, "FORBIDDEN");
    expect((await read(`/v1/session/${id}`, { token: user.access }, SessionSchema)).endDatetime).not.toBeNull();
  });
});

describe("sessions through a share (shared-user)", () => {
  it("a viewer sees only sessions starting at or after sharedSince, and may not write", async () => {
    const owner = await newUser("owner");
    const viewer = await newUser("viewer");
    const [early, onTheDot, late] = await create(owner, "/v1/session", [
      activityItem({ start_datetime: "2024-01-10T10:00:00Z", end_datetime: null }),
      intentionItem({ start_datetime: "2024-02-01T00:00:00Z", end_datetime: null }),
      activityItem({ start_datetime: "2024-03-10T10:00:00Z", end_datetime: null }),
    ]);
    await share(owner, viewer, { shareSince: "2024-02-01T00:00:00.000Z" });

    const list = await read(YEAR_2024, asViewer(viewer, owner), Sessions);
    expect(list.map((s) => s.id)).toEqual([onTheDot, late]);
    const narrow = await call("GET", "/v1/session?start_date=2024-01-01&end_date=2024-01-31", asViewer(viewer, owner));
    expect(narrow.body).toEqual([]);

    expect((await call("GET", `/v1/session/${late}`, asViewer(viewer, owner))).status).toBe(200);
    expectError(await call("GET", `/v1/session/${early}`, asViewer(viewer, owner)), 404, "NOT_FOUND");
    // The viewer's own data is not the owner's.
    expectError(await call("GET", `/v1/session/${late}`, { token: viewer.access }), 404);

    expectError(
      await call("POST", "/v1/session", { ...asViewer(viewer, owner), body: [activityItem()] }),
      403,
      "FORBIDDEN",
    );
    expectError(
      await call("PUT", `/v1/session/${late}`, { ...asViewer(viewer, owner), body: { end_datetime: null } }),
      403,
    );
    expectError(await call("DELETE", `/v1/session/${late}`, asViewer(viewer, owner)), 403, "FORBIDDEN");
    expect((await call("GET", YEAR_2024, { token: owner.access })).body).toHaveLength(3);
  });

  it("a share limited to other data types does not open sessions (403)", async () => {
    const owner = await newUser("owner");
    const viewer = await newUser("viewer");
    const [id] = await create(owner, "/v1/session", [activityItem()]);
    await share(owner, viewer, { types: ["CHECKINS"] });
    expectError(await call("GET", YEAR_2024, asViewer(viewer, owner)), 403, "FORBIDDEN");
    expectError(await call("GET", `/v1/session/${id}`, asViewer(viewer, owner)), 403, "FORBIDDEN");
  });
});
