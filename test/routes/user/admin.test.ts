import { env } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { DEV_ADMIN } from "../../../src/config";
import { ensureDevAccounts } from "../../../src/dev/bootstrap";
import { BetaAccessRequestSchema } from "../../../src/routes/user/admin-beta-access";
import { AdminUserDtoSchema } from "../../../src/routes/user/dto";
import { call, expectBody, expectError, newUser, nth, profileOf, read, sessionFor } from "../../helpers";

const BetaAccessRequests = z.array(BetaAccessRequestSchema);

async function adminToken(): Promise<string> {
  // The admin login itself is tested in test/routes/auth/login.test.ts; here it is only the way in.
  await ensureDevAccounts(env);
  return (await sessionFor(DEV_ADMIN.email)).access;
}

const betaRows = async (userId: string) =>
  (
    await env.DB.prepare("SELECT status FROM beta_access_requests WHERE user_id = ?")
      .bind(userId)
      .all<{ status: string }>()
  ).results;
const betaMails = async () =>
  (
    await env.DB.prepare("SELECT COUNT(*) AS n FROM mail_outbox WHERE kind = 'BETA_ACCESS_REQUEST'").first<{
      n: number;
    }>()
  )?.n ?? 0;

describe("GET /v1/user/admin/all", () => {
  it("lists users with isAdmin for an admin, paginated", async () => {
    const token = await adminToken();
    const user = await newUser();
    const all = await read("/v1/user/admin/all", { token }, z.array(AdminUserDtoSchema));
    expect(all.some((u) => u.email === user.email)).toBe(true);
    expect(all.some((u) => u.email === DEV_ADMIN.email && u.isAdmin)).toBe(true);
    const page = await read("/v1/user/admin/all?limit=1&offset=1", { token }, z.array(AdminUserDtoSchema));
    expect(page.length).toBe(1);
    expect(nth(page).id).toBe(nth(all, 1).id);
  });

  it("refuses a non-admin with 403 and a stranger with 401", async () => {
    const user = await newUser();
    expectError(await call("GET", "/v1/user/admin/all", { token: user.access }), 403, "FORBIDDEN");
    expectError(await call("GET", "/v1/user/admin/all"), 401);
  });

  it("refuses bad paging with 400", async () => {
    const token = await adminToken();
    expectError(await call("GET", "/v1/user/admin/all?limit=0", { token }), 400);
    expectError(await call("GET", "/v1/user/admin/all?limit=abc", { token }), 400);
    expectError(await call("GET", "/v1/user/admin/all?offset=-1", { token }), 400);
  });

  it("stops honouring admin rights as soon as they are removed in D1", async () => {
    const token = await adminToken();
    const user = await newUser();
    const promote = await call("PUT", "/v1/user", { token, body: { is_admin: true } });
    expect(promote.status).toBe(200);
    await env.DB.prepare("UPDATE users SET is_admin = 1 WHERE id = ?").bind(user.id).run();
    expect((await call("GET", "/v1/user/admin/all", { token: user.access })).status).toBe(200);
    await env.DB.prepare("UPDATE users SET is_admin = 0 WHERE id = ?").bind(user.id).run();
    expectError(await call("GET", "/v1/user/admin/all", { token: user.access }), 403);
  });
});

describe("beta access", () => {
  it("records one request, mails the legal address once, and an admin approval sets isEarlyAccess", async () => {
    const user = await newUser();
    const mailsBefore = await betaMails();
    const first = await call("POST", "/v1/user/beta_access", { token: user.access });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toEqual({ status: "success" });
    const second = await call("POST", "/v1/user/beta_access", { token: user.access });
    expect(second.status).toBe(201);
    expect(await betaRows(user.id)).toEqual([{ status: "PENDING" }]);
    expect(await betaMails()).toBe(mailsBefore + 1);
    const mail = await env.DB.prepare(
      "SELECT to_address FROM mail_outbox WHERE kind = 'BETA_ACCESS_REQUEST' AND body LIKE ?",
    )
      .bind(`%${user.email}%`)
      .first<{ to_address: string }>();
    expect(mail?.to_address).toBe("legal@nowatch.com");

    const token = await adminToken();
    const pending = await read("/v1/user/admin/beta_access?status=PENDING", { token }, BetaAccessRequests);
    const request = nth(pending.filter((r) => r.userId === user.id));
    expect(request).toMatchObject({ email: user.email, status: "PENDING" });

    const approve = await call("POST", `/v1/user/admin/beta_access/${request.id}/approve`, { token });
    expect(expectBody(approve, 200, BetaAccessRequestSchema).status).toBe("APPROVED");
    expect((await profileOf(user.access)).isEarlyAccess).toBe(true);
    // The user's apps learn of it from the change feed.
    const feed = await call<{ changes: { kind: string; op: string }[] }>("GET", "/v1/changes", { token: user.access });
    expect(feed.body.changes).toContainEqual(expect.objectContaining({ kind: "profile", op: "upsert" }));

    expectError(await call("POST", `/v1/user/admin/beta_access/${request.id}/deny`, { token }), 409, "CONFLICT");
    expect(await betaRows(user.id)).toEqual([{ status: "APPROVED" }]);
    // The decision is in the admin audit log, once (the refused deny left nothing).
    const log = await call<{
      entries: { action: string; actorEmail: string; before: { status: string }; after: { status: string } }[];
    }>("GET", `/v1/admin/audit-log?target_type=beta_access_request&target_id=${request.id}`, { token });
    expect(log.body.entries).toHaveLength(1);
    expect(log.body.entries[0]).toMatchObject({
      action: "beta_access.approve",
      actorEmail: DEV_ADMIN.email,
      before: { status: "PENDING" },
      after: { status: "APPROVED" },
    });
  });

  it("a denied user may ask again, which reopens the request", async () => {
    const user = await newUser();
    await call("POST", "/v1/user/beta_access", { token: user.access });
    const token = await adminToken();
    const list = await read("/v1/user/admin/beta_access?status=PENDING", { token }, BetaAccessRequests);
    const request = nth(list.filter((r) => r.userId === user.id));
    const deny = await call("POST", `/v1/user/admin/beta_access/${request.id}/deny`, { token });
    expect(expectBody(deny, 200, BetaAccessRequestSchema).status).toBe("DENIED");
    expect((await profileOf(user.access)).isEarlyAccess).toBe(false);
    await call("POST", "/v1/user/beta_access", { token: user.access });
    expect(await betaRows(user.id)).toEqual([{ status: "PENDING" }]);
  });

  it("refuses non-admins, strangers, unknown ids and malformed ids", async () => {
    const user = await newUser();
    await call("POST", "/v1/user/beta_access", { token: user.access });
    const id = (
      await env.DB.prepare("SELECT id FROM beta_access_requests WHERE user_id = ?")
        .bind(user.id)
        .first<{ id: string }>()
    )?.id;
    expectError(await call("GET", "/v1/user/admin/beta_access", { token: user.access }), 403);
    expectError(await call("POST", `/v1/user/admin/beta_access/${id}/approve`, { token: user.access }), 403);
    expectError(await call("POST", `/v1/user/admin/beta_access/${id}/approve`), 401);
    expectError(await call("POST", "/v1/user/beta_access"), 401);
    const token = await adminToken();
    expectError(await call("POST", `/v1/user/admin/beta_access/${crypto.randomUUID()}/approve`, { token }), 404);
    expectError(await call("POST", "/v1/user/admin/beta_access/not-a-uuid/approve", { token }), 400);
    expectError(await call("GET", "/v1/user/admin/beta_access?status=MAYBE", { token }), 400);
    expect(await betaRows(user.id)).toEqual([{ status: "PENDING" }]);
  });
});
