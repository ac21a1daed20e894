import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { GENDERS, HANDS, type NewUser, PLATFORMS, UNITS } from "../../db/schema";
import { updateUser } from "../../db/users";
import { errorResponses, forbidden, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { BEARER, type Router } from "../../lib/openapi";
import { DateOrDateTimeSchema, jsonBody, jsonResponse } from "../../lib/schemas";
import { toIso } from "../../lib/time";
import { toUserDto, UserDtoSchema } from "./dto";

/** Integers per the contract; a client sending 80.4 gets 80 rather than a refusal. */
const wholeNumber = (min: number, max: number) => z.number().min(min).max(max).transform(Math.round);

export const UpdateUserRequestSchema = z
  .object({
    first_name: z.string().trim().min(1).max(LIMITS.nameLength).openapi({ example: "Sponge Bob" }),
    last_name: z.string().trim().min(1).max(LIMITS.nameLength).openapi({ example: "Squarepants" }),
    date_of_birth: DateOrDateTimeSchema,
    height: wholeNumber(30, 300).openapi({ description: "cm, integer", example: 180 }),
    weight: wholeNumber(1, 700).openapi({ description: "kg, integer", example: 80 }),
    gender: z.enum(GENDERS),
    watch_hand: z.enum(HANDS),
    dominant_hand: z.enum(HANDS),
    platform: z.enum(PLATFORMS).openapi({ description: "Accepted on input, not returned" }),
    unit: z.enum(UNITS),
    is_early_access: z.boolean().openapi({ description: "Admins only" }),
    employee: z.boolean().openapi({ description: "Admins only" }),
    is_admin: z.boolean().openapi({ description: "Admins only" }),
  })
  .partial()
  .openapi("UpdateUserRequest");

const PRIVILEGED = ["is_early_access", "employee", "is_admin"] as const;

const route = createRoute({
  method: "put",
  path: "/v1/user",
  operationId: "usercontroller_updatev1",
  tags: ["user"],
  summary: "Update profile",
  description:
    "Partial update: only the fields present change. `is_early_access`, `employee` and `is_admin` are refused with 403 for callers who are not admins, and then nothing changes.",
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(UpdateUserRequestSchema) },
  responses: { 200: jsonResponse(UserDtoSchema, "The updated profile"), ...errorResponses, ...forbiddenResponse },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const user = c.get("user");
    const privileged = PRIVILEGED.filter((field) => body[field] !== undefined);
    if (privileged.length > 0 && !user.isAdmin) {
      throw forbidden(privileged.map((field) => `${field} can only be changed by an admin`));
    }
    const patch: Partial<NewUser> = {
      firstName: body.first_name,
      lastName: body.last_name,
      dateOfBirth: body.date_of_birth === undefined ? undefined : toIso(body.date_of_birth),
      height: body.height,
      weight: body.weight,
      gender: body.gender,
      watchHand: body.watch_hand,
      dominantHand: body.dominant_hand,
      platform: body.platform,
      unit: body.unit,
      isEarlyAccess: body.is_early_access,
      employee: body.employee,
      isAdmin: body.is_admin,
    };
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<NewUser>;
    const updated = Object.keys(defined).length > 0 ? await updateUser(getDb(c.env.DB), user.id, defined) : user;
    return c.json(toUserDto(updated ?? user), 200);
  });
}
