import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { userSettings } from "../../db/schema";
import { ApiError, errorResponses } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { BEARER, type Router } from "../../lib/openapi";
import { jsonBody, jsonResponse, TimestampSchema } from "../../lib/schemas";
import { nowIso } from "../../lib/time";

const SettingsObjectSchema = z.record(z.string(), z.unknown()).openapi({
  description: "Free-form settings object (see the User Settings Context): any JSON object up to 64 KB",
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
    return c.json({ settings: JSON.parse(row.settings), createdAt: row.createdAt, updatedAt: row.updatedAt }, 200);
  });
}
