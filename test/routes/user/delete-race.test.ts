import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { userStore } from "../../../src/user-store/user-store";
import { share } from "../../fixtures/sharing";
import { type CallResult, call, expectError, newUser } from "../../helpers";
import { csv, DAY0, heartRate, upload, zipped } from "../measurement/helpers";

/**
 * Finding 7: writes racing DELETE /v1/user answered 500 (`no such table: meta`): the store's schema was gone but the
 * object kept taking calls. A wiped UserStore refuses every call; the Worker answers such a request as it answers one
 * that starts after the deletion (401 for the owner, 403 for a sharee), and nothing is ever stored again.
 */

const SESSION = { start_datetime: "2024-03-20T13:00:00Z", type: 1, info: {} };

/** A 2xx, or a clean refusal: a 4xx in the NOWATCH error body. Never a 5xx. */
function expectCleanAnswer(res: CallResult) {
  expect(res.status, res.text).toBeLessThan(500);
  if (res.status >= 300) expectError(res, res.status);
}

/** User tables (not SQLite's, not the `_`-prefixed bookkeeping) in the object's storage. */
async function userTables(id: string): Promise<string[]> {
  return runInDurableObject(userStore(env, id), (_instance, state) =>
    state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'",
      )
      .toArray()
      .map((r) => r.name),
  );
}

describe("DELETE /v1/user racing writes", () => {
  it("5 concurrent uploads + DELETE: every answer is 2xx or a clean 4xx; afterwards the store holds nothing", async () => {
    const user = await newUser("race");
    const file = zipped(csv(heartRate(DAY0, 20_000)));
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => upload(user.access, "HEART_RATE", file)),
      call("DELETE", "/v1/user", { token: user.access }),
    ]);
    for (const res of answers) expectCleanAnswer(res);
    expect(answers[5]?.status, answers[5]?.text).toBe(200);
    // Later requests find no account; the store keeps no data and no schema.
    expectError(await upload(user.access, "HEART_RATE", file), 401);
    expect(await userStore(env, user.id).storedRowCount()).toBe(0);
    expect(await userTables(user.id)).toEqual([]);
  });

  it("a request that passed auth before the wipe is refused with 401, for every kind of call", async () => {
    const user = await newUser("inflight");
    expect((await call("POST", "/v1/session", { token: user.access, body: [SESSION] })).status).toBe(201);
    // The store is wiped while the D1 row still exists: what a request in flight during DELETE /v1/user sees.
    await userStore(env, user.id).deleteAll();
    const calls: [string, string, unknown?][] = [
      ["POST", "/v1/session", [SESSION]],
      ["GET", "/v1/session?start_date=2024-03-01&end_date=2024-03-31"],
      ["GET", `/v1/session/${crypto.randomUUID()}`],
      ["POST", "/v1/checkin", []],
      ["GET", "/v1/measurement/checkpoint"],
      ["GET", "/v1/measurement?type=HEART_RATE&sort=ASC&start_day=2025-08-09&end_day=2025-08-09"],
    ];
    for (const [method, path, body] of calls) {
      expectError(await call(method, path, { token: user.access, body }), 401, "UNAUTHORIZED");
    }
    expectError(await upload(user.access, "HEART_RATE", zipped(csv(heartRate(DAY0, 10)))), 401, "UNAUTHORIZED");
    expect(await userTables(user.id)).toEqual([]);
  });

  it("a sharee reading a deleted owner's store gets the 403 of a missing share", async () => {
    const owner = await newUser("owner");
    const viewer = await newUser("viewer");
    await share(owner, viewer);
    await userStore(env, owner.id).deleteAll();
    const res = await call("GET", "/v1/session?start_date=2024-03-01&end_date=2024-03-31", {
      token: viewer.access,
      headers: { "shared-user": owner.id },
    });
    expectError(res, 403, "FORBIDDEN");
    // The viewer's own account is untouched.
    expect((await call("GET", "/v1/user", { token: viewer.access })).status).toBe(200);
  });

  it("a new instance of a wiped store stays deleted: no migrations, no data, calls refused", async () => {
    const user = await newUser("restart");
    const before = await runInDurableObject(userStore(env, user.id), (instance) => instance);
    await userStore(env, user.id).deleteAll();
    await abortAllDurableObjects();
    // The next call starts a fresh instance for the same id, whose constructor would otherwise migrate afresh.
    const refused = await userStore(env, user.id)
      .createSessions([])
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(String(refused)).toMatch(/the account was deleted/);
    expect(await runInDurableObject(userStore(env, user.id), (instance) => instance)).not.toBe(before);
    expect(await userTables(user.id)).toEqual([]);
    expect(await userStore(env, user.id).storedRowCount()).toBe(0);
  });

  it("deleting twice is harmless (two DELETE /v1/user in flight at once)", async () => {
    const user = await newUser("twice");
    const stub = userStore(env, user.id);
    await stub.deleteAll();
    await expect(stub.deleteAll()).resolves.toBeUndefined();
  });
});
