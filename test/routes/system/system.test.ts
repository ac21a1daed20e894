import { describe, expect, it } from "vitest";
import { UserDtoSchema } from "../../../src/routes/user/dto";
import { call, expectBody, expectError, inline, newUser, openApiDoc, openApiOperations } from "../../helpers";

describe("system", () => {
  it("GET /health answers ok", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", version: "0.9.0" });
  });

  it("serves every operation under the contract's /nowatch prefix too", async () => {
    const user = await newUser();
    const res = await call("GET", "/nowatch/v1/user", { token: user.access });
    expect(expectBody(res, 200, UserDtoSchema).email).toBe(user.email);
    const login = await call("POST", "/nowatch/v2/auth/login", {
      body: { email: user.email, password: user.password },
      headers: { "x-auth-token": btoa("dev-secret+nowatch-dev") },
    });
    expect(login.status, login.text).toBe(201);
  });

  describe("errors under /nowatch report the path the client requested", () => {
    it("401 without a token", async () => {
      const res = await call("GET", "/nowatch/v1/user");
      expectError(res, 401, "UNAUTHORIZED");
      expect(res.body.path).toBe("/nowatch/v1/user");
    });

    it("404 for an unknown path", async () => {
      const res = await call("GET", "/nowatch/v1/nothing-here");
      expectError(res, 404, "NOT_FOUND");
      expect(res.body.path).toBe("/nowatch/v1/nothing-here");
      expect(res.body.message).toEqual(["Cannot GET /nowatch/v1/nothing-here"]);
    });

    it("400 for an invalid body", async () => {
      const user = await newUser();
      const res = await call("PUT", "/nowatch/v1/user", { token: user.access, body: { gender: "ROBOT" } });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.path).toBe("/nowatch/v1/user");
    });

    it("no request header can change the reported path", async () => {
      const headers = {
        "x-original-path": "/spoofed",
        "x-original-url": "/spoofed",
        "x-forwarded-uri": "/spoofed",
        "x-rewrite-url": "/spoofed",
        "x-nowatch-path": "/spoofed",
      };
      for (const path of ["/v1/user", "/nowatch/v1/user"]) {
        const res = await call("GET", path, { headers });
        expectError(res, 401, "UNAUTHORIZED");
        expect(res.body.path).toBe(path);
      }
    });

    it("the prefix is stripped once, and only as a whole segment", async () => {
      const twice = await call("GET", "/nowatch/nowatch/v1/user");
      expectError(twice, 404, "NOT_FOUND");
      expect(twice.body.path).toBe("/nowatch/nowatch/v1/user");
      const glued = await call("GET", "/nowatchv1/user");
      expectError(glued, 404, "NOT_FOUND");
      expect((await call("GET", "/nowatch/health")).status).toBe(200);
      const bare = await call("GET", "/nowatch");
      expectError(bare, 404, "NOT_FOUND");
      expect(bare.body.path).toBe("/nowatch");
    });
  });

  it("answers unknown paths with the NOWATCH error body", async () => {
    const res = await call("GET", "/v1/nothing-here");
    expectError(res, 404, "NOT_FOUND");
    expect(res.body.path).toBe("/v1/nothing-here");
    expect(res.headers.get("x-request-id")).toBe(res.body.requestId);
  });

  it("/openapi.json is OpenAPI 3.1 with both servers, the security schemes and the contract's operationIds", async () => {
    const doc = await openApiDoc();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "NOWATCH API", version: "0.9.0" });
    expect(doc.servers?.map((s) => s.url)).toEqual(["/nowatch", "/"]);
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(["appClient", "bearer"]);
    const ops = new Map<string, string | undefined>();
    for (const { id, op } of openApiOperations(doc)) ops.set(id, op.operationId);
    const expected: Record<string, string> = {
      "POST /v1/auth/register": "authcontroller_registerv1",
      "POST /v2/auth/login": "authcontroller_loginv2",
      "POST /v2/auth/login/admin": "authcontroller_loginadminv1",
      "POST /v1/auth/refresh": "authcontroller_refreshtokenv1",
      "POST /v1/auth/forgot_password": "authcontroller_forgotpasswordv1",
      "POST /v1/auth/confirm_new_password": "authcontroller_confirmnewpasswordv1",
      "POST /v1/auth/sign-out": "authcontroller_signoutv1",
      "POST /v1/auth/login": "authcontroller_loginv1",
      "GET /v1/user": "usercontroller_findonev1",
      "PUT /v1/user": "usercontroller_updatev1",
      "DELETE /v1/user": "usercontroller_deletev1",
      "POST /v1/user/beta_access": "usercontroller_requestbetaaccessv1",
      "POST /v1/user/change_password": "usercontroller_changepasswordv1",
      "GET /v1/user/admin/all": "usercontroller_getallv1",
    };
    for (const [op, id] of Object.entries(expected)) expect(ops.get(op), op).toBe(id);
    for (const op of ["GET /v1/user/settings", "PUT /v1/user/settings", "GET /v1/user/admin/beta_access"]) {
      expect(ops.has(op), op).toBe(true);
    }
    expect(doc.paths?.["/v1/auth/login"]?.post?.deprecated).toBe(true);
    const schemas = doc.components?.schemas ?? {};
    const register = inline(schemas.RegisterRequest, "RegisterRequest");
    expect(Object.keys(register.properties ?? {}).sort()).toEqual(
      ["email", "first_name", "last_name", "password", "privacy_policy_accepted_at", "toc_accepted_at"].sort(),
    );
    expect(inline(schemas.UserDto, "UserDto").properties?.lastSyncAt).toBeDefined();
    expect(inline(schemas.ErrorBody, "ErrorBody").required).toEqual(
      expect.arrayContaining(["statusCode", "message", "path", "timestamp"]),
    );
  });

  it("every operation outside auth and system declares bearer security and a 401", async () => {
    for (const { id, op } of openApiOperations(await openApiDoc())) {
      expect(op.tags, `${id} has tags`).toBeDefined();
      const tags = op.tags ?? [];
      if (tags.includes("auth") || tags.includes("system")) continue;
      expect(op.security, id).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses ?? {}), id).toContain("401");
    }
  });

  it("/docs renders the reference from the OpenAPI document", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toContain("NOWATCH API");
    expect(res.text).toContain("/v1/auth/register");
    expect(res.text).toContain("usercontroller_findonev1");
    expect(res.text).toContain("auth none (public)");
    expect(res.text).not.toContain("<script");
  });
});
