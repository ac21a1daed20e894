import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { UserDtoSchema } from "../../../src/routes/user/dto";
import { call, expectBody, expectError, expectObject, expectSchema, newUser, profileOf } from "../../helpers";

describe("GET /v1/user", () => {
  it("returns the caller's UserDto with every contract field", async () => {
    const user = await newUser();
    const res = await call("GET", "/v1/user", { token: user.access });
    expect(res.status).toBe(200);
    const dto = expectSchema(UserDtoSchema, res.body);
    // The raw body, not the parsed dto: parsing would drop a field the schema does not list.
    const raw = expectObject(res.body);
    expect(Object.keys(raw).sort()).toEqual(
      [
        "id",
        "email",
        "firstName",
        "lastName",
        "isEarlyAccess",
        "gender",
        "watchHand",
        "dominantHand",
        "height",
        "weight",
        "dateOfBirth",
        "unit",
        "employee",
        "lastSyncAt",
        "emailVerified",
      ].sort(),
    );
    expect(dto).toMatchObject({ email: user.email, firstName: "Sponge Bob", lastName: "Squarepants", unit: "METRIC" });
    expect(dto.id).toMatch(/^uid_[0-9a-f]{32}[A-Za-z0-9_-]{32}$/);
    expect(raw.passwordHash).toBeUndefined();
    expect(raw.isAdmin).toBeUndefined();
  });

  it("refuses a stranger without a token", async () => {
    expectError(await call("GET", "/v1/user"), 401, "UNAUTHORIZED");
  });
});

describe("PUT /v1/user", () => {
  it("updates only the fields sent (snake_case in, camelCase out)", async () => {
    const user = await newUser();
    const res = await call("PUT", "/v1/user", {
      token: user.access,
      body: {
        first_name: "Patrick",
        height: 180,
        weight: 80.4,
        gender: "MALE",
        watch_hand: "LEFT",
        dominant_hand: "RIGHT",
        unit: "IMPERIAL",
        platform: "IOS",
        date_of_birth: "1986-07-14",
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      firstName: "Patrick",
      lastName: "Squarepants",
      height: 180,
      weight: 80,
      gender: "MALE",
      watchHand: "LEFT",
      dominantHand: "RIGHT",
      unit: "IMPERIAL",
      dateOfBirth: "1986-07-14T00:00:00.000Z",
    });
    expect(expectObject(res.body).platform).toBeUndefined();
    const again = await call("PUT", "/v1/user", { token: user.access, body: { last_name: "Star" } });
    expect(again.body).toMatchObject({ firstName: "Patrick", lastName: "Star", height: 180 });
  });

  it("accepts a date_of_birth from 1900-01-01 up to today", async () => {
    const user = await newUser();
    const today = new Date().toISOString().slice(0, 10);
    for (const [sent, stored] of [
      ["1900-01-01", "1900-01-01T00:00:00.000Z"],
      ["1986-07-14T00:00:00.000Z", "1986-07-14T00:00:00.000Z"],
      [today, `${today}T00:00:00.000Z`],
    ]) {
      const res = await call("PUT", "/v1/user", { token: user.access, body: { date_of_birth: sent } });
      expect(expectBody(res, 200, UserDtoSchema).dateOfBirth).toBe(stored);
    }
    const res = await call("PUT", "/v1/user", { token: user.access, body: { date_of_birth: "3000-01-01" } });
    expectError(res, 400, "VALIDATION_FAILED");
    expect(res.body.message).toEqual(["date_of_birth: must be from 1900-01-01 to today"]);
  });

  it("ignores unknown fields", async () => {
    const user = await newUser();
    const res = await call("PUT", "/v1/user", { token: user.access, body: { favourite_colour: "yellow" } });
    expect(res.status).toBe(200);
    expect(expectObject(res.body).favourite_colour).toBeUndefined();
  });

  for (const field of ["is_admin", "employee", "is_early_access"]) {
    it(`refuses ${field} from a non-admin with 403 and changes nothing`, async () => {
      const user = await newUser();
      const res = await call("PUT", "/v1/user", { token: user.access, body: { first_name: "Hacker", [field]: true } });
      expectError(res, 403, "FORBIDDEN");
      const me = await profileOf(user.access);
      expect(me.firstName).toBe("Sponge Bob");
      expect(me.isEarlyAccess).toBe(false);
      expect(me.employee).toBe(false);
    });
  }

  it("accepts the privileged fields from a non-admin at their current values (apps send the whole profile back)", async () => {
    const user = await newUser();
    const me = await profileOf(user.access);
    const res = await call("PUT", "/v1/user", {
      token: user.access,
      body: {
        first_name: "Patrick",
        is_early_access: me.isEarlyAccess,
        employee: me.employee,
        is_admin: false,
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ firstName: "Patrick", isEarlyAccess: false, employee: false });
  });

  it("refuses a change of one privileged field among unchanged ones, naming only the changed one", async () => {
    const user = await newUser();
    const res = await call("PUT", "/v1/user", {
      token: user.access,
      body: { first_name: "Hacker", height: 170, is_early_access: false, employee: false, is_admin: true },
    });
    expectError(res, 403, "FORBIDDEN");
    expect(res.body.message).toEqual(["is_admin can only be changed by an admin"]);
    const me = await call("GET", "/v1/user", { token: user.access });
    expect(me.body).toMatchObject({ firstName: "Sponge Bob", height: null, isEarlyAccess: false, employee: false });
    const admin = await env.DB.prepare("SELECT is_admin FROM users WHERE id = ?").bind(user.id).first("is_admin");
    expect(admin).toBe(0);
  });

  const invalid: [string, Record<string, unknown>][] = [
    ["an unknown gender", { gender: "ROBOT" }],
    ["an unknown watch_hand", { watch_hand: "BOTH" }],
    ["an unknown unit", { unit: "FURLONGS" }],
    ["an unknown platform", { platform: "WINDOWS" }],
    ["height of wrong type", { height: "tall" }],
    ["an impossible height", { height: 5000 }],
    ["date_of_birth not ISO-8601", { date_of_birth: "14/07/1986" }],
    ["date_of_birth in 3000", { date_of_birth: "3000-01-01" }],
    ["date_of_birth in year 1", { date_of_birth: "0001-01-01" }],
    ["date_of_birth before 1900", { date_of_birth: "1899-12-31T23:59:59Z" }],
    ["date_of_birth two days ahead", { date_of_birth: new Date(Date.now() + 2 * 86_400_000).toISOString() }],
    ["an empty first_name", { first_name: "" }],
    ["a first_name over 150 characters", { first_name: "x".repeat(151) }],
  ];
  for (const [name, body] of invalid) {
    it(`refuses ${name} with 400 and changes nothing`, async () => {
      const user = await newUser();
      const before = await call("GET", "/v1/user", { token: user.access });
      expectError(await call("PUT", "/v1/user", { token: user.access, body: { ...body, last_name: "Changed" } }), 400);
      const after = await call("GET", "/v1/user", { token: user.access });
      expect(after.body).toEqual(before.body);
    });
  }

  it("refuses a stranger", async () => {
    expectError(await call("PUT", "/v1/user", { body: { first_name: "X" } }), 401);
  });
});
