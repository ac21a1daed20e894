import { describe, expect, it } from "vitest";
import { SettingsDtoSchema } from "../../../src/routes/user/settings";
import { call, expectBody, expectError, expectSchema, newUser, read } from "../../helpers";

const settingsOf = (token: string) => read("/v1/user/settings", { token }, SettingsDtoSchema);

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

    const put = expectBody(
      await call("PUT", "/v1/user/settings", { token: user.access, body: { settings: CALIBRATION } }),
      200,
      SettingsDtoSchema,
    );
    expect(put.settings).toEqual(CALIBRATION);

    const replaced = expectBody(
      await call("PUT", "/v1/user/settings", { token: user.access, body: { settings: { theme: "light" } } }),
      200,
      SettingsDtoSchema,
    );
    expect(replaced.settings).toEqual({ theme: "light" });
    expect(replaced.createdAt).toBe(put.createdAt);
    expect(replaced.updatedAt >= put.updatedAt).toBe(true);

    const fetched = await call("GET", "/v1/user/settings", { token: user.access });
    expect(fetched.body).toEqual(replaced);
  });

  it("keeps each user's settings apart", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await call("PUT", "/v1/user/settings", { token: alice.access, body: { settings: { theme: "dark" } } });
    expect((await settingsOf(bob.access)).settings).toEqual({});
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
      expect((await settingsOf(user.access)).settings).toEqual({ keep: 1 });
    });
  }

  it("refuses settings over 64 KB with 413 and keeps the stored object", async () => {
    const user = await newUser();
    await call("PUT", "/v1/user/settings", { token: user.access, body: { settings: { keep: 1 } } });
    const big = { settings: { blob: "x".repeat(70 * 1024) } };
    expectError(await call("PUT", "/v1/user/settings", { token: user.access, body: big }), 413, "PAYLOAD_TOO_LARGE");
    expect((await settingsOf(user.access)).settings).toEqual({ keep: 1 });
  });

  it("refuses strangers", async () => {
    expectError(await call("GET", "/v1/user/settings"), 401);
    expectError(await call("PUT", "/v1/user/settings", { body: { settings: {} } }), 401);
  });
});
