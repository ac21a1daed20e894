import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { requireUser } from "../../auth/middleware";
import { recordAccountChanges } from "../../changes/account";
import { getDb } from "../../db";
import { userSettings } from "../../db/schema";
import { BEARER, type Router } from "../../http/router";
import { ApiError, errorResponses } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonBody, jsonResponse, TimestampSchema, textProblem } from "../../lib/schemas";
import { nowIso } from "../../lib/time";

/** A node of the settings walk: its value, and how it was reached (a linked path, so deep nesting stays linear). */
interface Visit {
  value: unknown;
  key?: PropertyKey;
  parent?: Visit;
}

const pathOf = (visit: Visit | undefined): PropertyKey[] => {
  const path: PropertyKey[] = [];
  for (let at = visit; at?.key !== undefined; at = at.parent) path.unshift(at.key);
  return path;
};

/**
 * The first string (key or value, at any depth) that breaks the free-text rules, with where it is. Settings hold
 * app-owned free text (notes, labels), so the same rules as every other text apply; line breaks are allowed.
 * Iterative and linear, so a deeply nested body can neither exhaust the stack nor cost quadratic time.
 */
function settingsTextProblem(root: unknown): { path: PropertyKey[]; message: string } | undefined {
  const stack: Visit[] = [{ value: root }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value } = visit;
    if (typeof value === "string") {
      const message = textProblem(value, true);
      if (message) return { path: pathOf(visit), message };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    const isArray = Array.isArray(value);
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string, unknown];
      const keyProblem = isArray ? undefined : textProblem(key, true);
      // The parent's path, not the key's: the error must not echo the offending characters back.
      if (keyProblem) return { path: pathOf(visit), message: `a key ${keyProblem}` };
      stack.push({ value: child, key: isArray ? Number(key) : key, parent: visit });
    }
  }
  return undefined;
}

const SettingsObjectSchema = z
  .record(z.string(), z.unknown())
  .superRefine((settings, ctx) => {
    const problem = settingsTextProblem(settings);
    if (problem) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
  })
  .openapi({
    description:
      "Free-form settings object (see the User Settings Context): any JSON object up to 64 KB. Its strings (keys and values) must not contain NUL or unpaired surrogates",
    example: { theme: "light", language: "en" },
  });

export const SettingsDtoSchema = z
  .object({
    settings: SettingsObjectSchema,
    createdAt: TimestampSchema.openapi({ example: "2024-03-20T12:00:00.000Z" }),
    updatedAt: TimestampSchema.openapi({ example: "2024-03-20T12:00:00.000Z" }),
  })
  .openapi("UserSettings");

export const PutSettingsRequestSchema = z.object({ settings: SettingsObjectSchema }).openapi("PutSettingsRequest");

const getRoute = createRoute({
  method: "get",
  path: "/v1/user/settings",
  operationId: "usercontroller_getsettingsv1",
  tags: ["user"],
  summary: "Fetch settings",
  description: "The caller's settings object. Before the first PUT it is `{}`, with both dates the account's creation.",
  security: BEARER,
  middleware: [requireUser],
  responses: { 200: jsonResponse(SettingsDtoSchema, "User settings object and extra information"), ...errorResponses },
});

const putRoute = createRoute({
  method: "put",
  path: "/v1/user/settings",
  operationId: "usercontroller_updatesettingsv1",
  tags: ["user"],
  summary: "Replace settings",
  description: `Replaces the whole settings object (no merge). At most ${LIMITS.settingsBytes / 1024} KB serialized, else 413.`,
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(PutSettingsRequestSchema) },
  responses: { 200: jsonResponse(SettingsDtoSchema, "The stored settings"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(getRoute, async (c) => {
    const user = c.get("user");
    const row = await getDb(c.env.DB).select().from(userSettings).where(eq(userSettings.userId, user.id)).get();
    if (!row) return c.json({ settings: {}, createdAt: user.createdAt, updatedAt: user.createdAt }, 200);
    return c.json({ settings: JSON.parse(row.settings), createdAt: row.createdAt, updatedAt: row.updatedAt }, 200);
  });

  app.openapi(putRoute, async (c) => {
    const user = c.get("user");
    const serialized = JSON.stringify(c.req.valid("json").settings);
    if (new TextEncoder().encode(serialized).length > LIMITS.settingsBytes) {
      throw new ApiError("PAYLOAD_TOO_LARGE", `settings must be at most ${LIMITS.settingsBytes} bytes`);
    }
    const now = nowIso();
    const row = await getDb(c.env.DB)
      .insert(userSettings)
      .values({ userId: user.id, settings: serialized, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: userSettings.userId, set: { settings: serialized, updatedAt: now } })
      .returning()
      .get();
    const answer = { settings: JSON.parse(row.settings), createdAt: row.createdAt, updatedAt: row.updatedAt };
    await recordAccountChanges(c.env, [{ userId: user.id, change: { kind: "settings", op: "upsert", data: answer } }]);
    return c.json(answer, 200);
  });
}
