import { describe, expect, it } from "vitest";
import { SettingsDtoSchema } from "../../src/routes/user/settings";
import { call, expectError, expectSchema, newUser } from "../helpers";

const CALIBRATION = {
  reactivity_calibration: { is_calibrated: true, dates: ["2024-11-01", "2024-11-02"], baseline: 45.2 },
  user_consent: { data_sharing: true },
  onboarding: { intention: 3 },
};

describe("/v1/user/settings", () => {
  it("starts as {} and PUT replaces the whole object", async () => {
    const user = await newUser();
    const initial = await call("GET", "/v1/user/settings", { token: user.access });
    expect(initial.status).toBe(200);
    expect(expectSchema(SettingsDtoSchema, initial.body).settings).toEqual({});

    const put = await call("PUT", "/v1/user/settings", { token: user.access, body: { settings: CALIBRATION } });
    expect(put.status, put.text).toBe(200);
    expect(put.body.settings).toEqual(CALIBRATION);

    const replaced = await call("PUT", "/v1/user/settings", {
      token: user.access,
      body: { settings: { theme: "light" } },
    });
    expect(replaced.body.settings).toEqual({ theme: "light" });
    expect(replaced.body.createdAt).toBe(put.body.createdAt);
    expect(replaced.body.updatedAt >= put.body.updatedAt).toBe(true);

    const read = await call("GET", "/v1/user/settings", { token: user.access });
    expect(read.body).toEqual(replaced.body);
  });

  it("keeps each user's settings apart", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await call("PUT", "/v1/user/settings", { token: alice.access, body: { settings: { theme: "dark" } } });
    const bobs = await call("GET", "/v1/user/settings", { token: bob.access });
    expect(bobs.body.settings).toEqual({});
  });

  const invalid: [string, unknown][] = [
    ["settings missing", {}],
    ["settings an array", { settings: [1, 2] }],
    ["settings a string", { settings: "theme=dark" }],
    ["settings null", { settings: null }],
  ];
  for (const [name, body] of invalid) {
    it(`refuses ${name} with 400 and keeps the stored object`, async () => {
      const user = await newUser();
      await call("PUT", "/v1/user/settings", { token: user.access, body: { settings: { keep: 1 } } });
      expectError(await call("PUT", "/v1/user/settings", { token: user.access, body }), 400, "VALIDATION_FAILED");
      expect((await call("GET", "/v1/user/settings", { token: user.access })).body.settings).toEqual({ keep: 1 });
    });
  }

  it("refuses settings over 64 KB with 413 and keeps the stored object", async () => {
    const user = await newUser();
    await call("PUT", "/v1/user/settings", { token: user.access, body: { settings: { keep: 1 } } });
    const big = { settings: { blob: "x".repeat(70 * 1024) } };
    expectError(await call("PUT", "/v1/user/settings", { token: user.access, body: big }), 413, "PAYLOAD_TOO_LARGE");
    expect((await call("GET", "/v1/user/settings", { token: user.access })).body.settings).toEqual({ keep: 1 });
  });

  it("refuses strangers", async () => {
    expectError(await call("GET", "/v1/user/settings"), 401);
    expectError(await call("PUT", "/v1/user/settings", { body: { settings: {} } }), 401);
  });
});
