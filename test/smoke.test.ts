import { describe, expect, it } from "vitest";
import { UserDtoSchema } from "../src/routes/user/dto";
import { call, expectBody, newUser } from "./helpers";

describe("smoke", () => {
  it("registers, logs in and fetches the profile", async () => {
    const user = await newUser();
    const me = await call("GET", "/v1/user", { token: user.access });
    expect(expectBody(me, 200, UserDtoSchema).email).toBe(user.email);
  });
});
