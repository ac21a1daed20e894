import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "../../auth/middleware";
import { getDb } from "../../db";
import { users } from "../../db/schema";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse } from "../../lib/schemas";
import { AdminUserDtoSchema, toAdminUserDto } from "./dto";

export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIMITS.adminPageSize)
    .default(LIMITS.adminPageSize)
    .openapi({ description: "Page size", example: 100 }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ description: "Rows to skip", example: 0 }),
});

const route = createRoute({
  method: "get",
  path: "/v1/user/admin/all",
  operationId: "usercontroller_getallv1",
  tags: ["user"],
  summary: "List all users (admins only)",
  description: "Every account, oldest first, paginated with `limit` and `offset`.",
  security: BEARER,
  middleware: [...adminOnly],
  request: { query: PageQuerySchema },
  responses: {
    200: jsonResponse(z.array(AdminUserDtoSchema), "Users"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { limit, offset } = c.req.valid("query");
    const rows = await getDb(c.env.DB)
      .select()
      .from(users)
      .orderBy(users.createdAt, users.id)
      .limit(limit)
      .offset(offset);
    return c.json(rows.map(toAdminUserDto), 200);
  });
}
