import { describe, expect, it } from "vitest";
import { call, newUser } from "./helpers";

describe("smoke", () => {
  it("registers, logs in and fetches the profile", async () => {
    const user = await newUser();
    const me = await call("GET", "/v1/user", { token: user.access });
    expect(me.body.email).toBe(user.email);
  });
});
