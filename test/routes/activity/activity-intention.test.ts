import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SessionSchema } from "../../../src/routes/session/schemas";
import {
  activityItem,
  asViewer,
  create,
  expectRefused,
  intentionItem,
  share,
  storedRows,
} from "../../fixtures/records";
import { call, expectBody, expectError, expectSchema, newUser, read } from "../../helpers";

/** The activity and intention tags: views of the one sessions store (contract §11 Sessions Context). */

const range = (path: string) => `${path}?start_date=2024-01-01&end_date=2024-12-31`;
const ids = (body: { id: string }[]) => body.map((s) => s.id);
const Sessions = z.array(SessionSchema);

describe("/v1/activity and /v1/intention share the sessions store", () => {
  it("each view creates into and lists from the same records, filtered by kind", async () => {
    const user = await newUser();
    const [activity] = await create(user, "/v1/activity", [activityItem()]);
    const [intention] = await create(user, "/v1/intention", [intentionItem()]);
    const [viaSession] = await create(user, "/v1/session", [
      activityItem({ start_datetime: "2024-03-21T00:00:00Z", end_datetime: null }),
    ]);

    const all = await read(range("/v1/session"), { token: user.access }, Sessions);
    expect(ids(all)).toEqual([intention, activity, viaSession]);
    const activities = await call("GET", range("/v1/activity"), { token: user.access });
    expect(activities.status, activities.text).toBe(200);
    expect(ids(expectSchema(z.array(SessionSchema), activities.body))).toEqual([activity, viaSession]);
    const intentions = await read(range("/v1/intention"), { token: user.access }, Sessions);
    expect(ids(intentions)).toEqual([intention]);

    // The same record, whichever view reads it.
    const one = await read(`/v1/activity/${activity}`, { token: user.access }, SessionSchema);
    expect(one).toEqual((await call("GET", `/v1/session/${activity}`, { token: user.access })).body);
    expect(one.info.subjectiveInputs).toEqual([]);
    expect((await read(`/v1/intention/${intention}`, { token: user.access }, SessionSchema)).type).toBe(0);
  });

  it("an intention's type may be omitted (it is 0)", async () => {
    const user = await newUser();
    const { type: _, ...withoutType } = intentionItem();
    const [id] = await create(user, "/v1/intention", [withoutType]);
    expect((await read(`/v1/session/${id}`, { token: user.access }, SessionSchema)).type).toBe(0);
  });

  it("a view answers 404 for a session of the other kind, for GET, PUT and DELETE", async () => {
    const user = await newUser();
    const [activity, intention] = await create(user, "/v1/session", [activityItem(), intentionItem()]);
    for (const [path, id] of [
      ["/v1/activity", intention],
      ["/v1/intention", activity],
    ]) {
      expectError(await call("GET", `${path}/${id}`, { token: user.access }), 404, "NOT_FOUND");
      expectError(await call("PUT", `${path}/${id}`, { token: user.access, body: { end_datetime: null } }), 404);
      expectError(await call("DELETE", `${path}/${id}`, { token: user.access }), 404, "NOT_FOUND");
    }
    expect((await call("GET", range("/v1/session"), { token: user.access })).body).toHaveLength(2);
  });

  it("PUT and DELETE work through the view of the right kind", async () => {
    const user = await newUser();
    const [activity] = await create(user, "/v1/activity", [activityItem({ end_datetime: null })]);
    const [intention] = await create(user, "/v1/intention", [intentionItem()]);
    const ended = await call("PUT", `/v1/activity/${activity}`, {
      token: user.access,
      body: { end_datetime: "2024-03-20T14:00:00Z", type: 40, info: { origin: 2 } },
    });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body).toMatchObject({ endDatetime: "2024-03-20T14:00:00.000Z", type: 40, info: { origin: 2 } });
    const inputs = [{ datetime: "2024-03-20T08:20:00Z", type: 1, value: 2 }];
    const updated = await call("PUT", `/v1/intention/${intention}`, {
      token: user.access,
      body: { info: { subjective_inputs: inputs } },
    });
    expect(expectBody(updated, 200, SessionSchema).info.subjectiveInputs).toEqual([
      { ...inputs[0], datetime: "2024-03-20T08:20:00.000Z", tag: null },
    ]);
    expect((await call("DELETE", `/v1/intention/${intention}`, { token: user.access })).status).toBe(200);
    expect(ids(await read(range("/v1/session"), { token: user.access }, Sessions))).toEqual([activity]);
  });

  const bad: [string, string, unknown, string][] = [
    [
      "an activity with type 0",
      "/v1/activity",
      [activityItem({ type: 0 })],
      "[0].type: activity type must be an integer from 1 to 122",
    ],
    ["an activity with an unknown type", "/v1/activity", [activityItem({ type: 123 })], "[0].type"],
    [
      "an activity with subjective inputs",
      "/v1/activity",
      [
        activityItem(),
        activityItem({ info: { subjective_inputs: [{ datetime: "2024-03-20T13:50:00Z", type: 2, value: 4 }] } }),
      ],
      "[1].info.subjective_inputs: an activity has no subjective inputs",
    ],
    [
      "an activity ending before it starts",
      "/v1/activity",
      [activityItem({ end_datetime: "2024-03-19T00:00:00Z" })],
      "[0].end_datetime",
    ],
    ["an intention with type 3", "/v1/intention", [intentionItem({ type: 3 })], "[0].type: an intention has type 0"],
    [
      "an intention without subjective inputs",
      "/v1/intention",
      [intentionItem({ info: { name: "x" } })],
      "[0].info.subjective_inputs",
    ],
    [
      "an intention with an empty list of inputs",
      "/v1/intention",
      [intentionItem({ info: { subjective_inputs: [] } })],
      "[0].info.subjective_inputs: an intention has at least one subjective input",
    ],
    [
      "an intention with a non-ISO start",
      "/v1/intention",
      [intentionItem({ start_datetime: "yesterday" })],
      "[0].start_datetime",
    ],
    [
      "an activity batch over 1,000",
      "/v1/activity",
      Array.from({ length: 1001 }, () => activityItem()),
      "at most 1000",
    ],
  ];
  for (const [name, path, body, mention] of bad) {
    it(`refuses ${name} with 400 and stores nothing`, async () => {
      const user = await newUser();
      await expectRefused(await call("POST", path, { token: user.access, body }), user, mention);
    });
  }

  it("PUT through a view keeps to its kind's rules", async () => {
    const user = await newUser();
    const [activity] = await create(user, "/v1/activity", [activityItem()]);
    const [intention] = await create(user, "/v1/intention", [intentionItem()]);
    const input = { datetime: "2024-03-20T13:50:00Z", type: 2, value: 4 };
    expectError(await call("PUT", `/v1/activity/${activity}`, { token: user.access, body: { type: 0 } }), 400);
    expectError(
      await call("PUT", `/v1/activity/${activity}`, {
        token: user.access,
        body: { info: { subjective_inputs: [input] } },
      }),
      400,
    );
    expectError(await call("PUT", `/v1/intention/${intention}`, { token: user.access, body: { type: 5 } }), 400);
    expectError(
      await call("PUT", `/v1/intention/${intention}`, {
        token: user.access,
        body: { info: { subjective_inputs: [] } },
      }),
      400,
    );
  });

  it("no token → 401; shared-user writes → 403; unknown and others' ids → 404", async () => {
    const owner = await newUser("owner");
    const stranger = await newUser("stranger");
    const [activity] = await create(owner, "/v1/activity", [activityItem()]);
    const [intention] = await create(owner, "/v1/intention", [intentionItem()]);
    for (const [path, id] of [
      ["/v1/activity", activity],
      ["/v1/intention", intention],
    ]) {
      expectError(await call("GET", range(path as string)), 401, "UNAUTHORIZED");
      expectError(await call("POST", path as string, { body: [] }), 401, "UNAUTHORIZED");
      expectError(await call("GET", `${path}/${id}`), 401, "UNAUTHORIZED");
      expectError(await call("GET", `${path}/${id}`, { token: stranger.access }), 404, "NOT_FOUND");
      expectError(await call("GET", `${path}/${crypto.randomUUID()}`, { token: owner.access }), 404, "NOT_FOUND");
      expectError(await call("DELETE", `${path}/${id}`, { token: stranger.access }), 404, "NOT_FOUND");
      expectError(await call("POST", path as string, { ...asViewer(stranger, owner), body: [] }), 403, "FORBIDDEN");
      expectError(await call("DELETE", `${path}/${id}`, asViewer(stranger, owner)), 403, "FORBIDDEN");
      expectError(await call("GET", range(path as string), asViewer(stranger, owner)), 403, "FORBIDDEN");
    }
    expect(await storedRows(stranger)).toBe(0);
    expect((await call("GET", range("/v1/session"), { token: owner.access })).body).toHaveLength(2);
  });

  it("a viewer reads activities and intentions from sharedSince on", async () => {
    const owner = await newUser("owner");
    const viewer = await newUser("viewer");
    const [oldActivity, newActivity, newIntention] = await create(owner, "/v1/session", [
      activityItem({ start_datetime: "2024-01-05T10:00:00Z", end_datetime: null }),
      activityItem({ start_datetime: "2024-06-05T10:00:00Z", end_datetime: null }),
      intentionItem({ start_datetime: "2024-06-06T10:00:00Z", end_datetime: null }),
    ]);
    await share(owner, viewer, { shareSince: "2024-06-01T00:00:00Z", types: ["SESSIONS"] });
    expect(ids(await read(range("/v1/activity"), asViewer(viewer, owner), Sessions))).toEqual([newActivity]);
    expect(ids(await read(range("/v1/intention"), asViewer(viewer, owner), Sessions))).toEqual([newIntention]);
    expectError(await call("GET", `/v1/activity/${oldActivity}`, asViewer(viewer, owner)), 404, "NOT_FOUND");
    expect((await call("GET", `/v1/intention/${newIntention}`, asViewer(viewer, owner))).status).toBe(200);
  });
});
