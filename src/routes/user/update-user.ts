import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { recordAccountChanges } from "../../changes/account";
import { getDb } from "../../db";
import { GENDERS, HANDS, type NewUser, PLATFORMS, UNITS, type User } from "../../db/schema";
import { updateUser } from "../../db/users";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbidden, forbiddenResponse } from "../../lib/errors";
import { DateOfBirthSchema, jsonBody, jsonResponse, NameSchema } from "../../lib/schemas";
import { toIso } from "../../lib/time";
import { toUserDto, UserDtoSchema } from "./dto";

/** Integers per the contract; a client sending 80.4 gets 80 rather than a refusal. */
const wholeNumber = (min: number, max: number) => z.number().min(min).max(max).transform(Math.round);

const PRIVILEGED_NOTE = "Only an admin may change it; anyone may send the current value";

export const UpdateUserRequestSchema = z
  .object({
    first_name: NameSchema.openapi({ example: "Sponge Bob" }),
    last_name: NameSchema.openapi({ example: "Squarepants" }),
    date_of_birth: DateOfBirthSchema.openapi({ description: "A date or date-time; its day from 1900-01-01 to today" }),
    height: wholeNumber(30, 300).openapi({ description: "cm, integer", example: 180 }),
    weight: wholeNumber(1, 700).openapi({ description: "kg, integer", example: 80 }),
    gender: z.enum(GENDERS),
    watch_hand: z.enum(HANDS),
    dominant_hand: z.enum(HANDS),
    platform: z.enum(PLATFORMS).openapi({ description: "Accepted on input, not returned" }),
    unit: z.enum(UNITS),
    is_early_access: z.boolean().openapi({ description: PRIVILEGED_NOTE }),
    employee: z.boolean().openapi({ description: PRIVILEGED_NOTE }),
    is_admin: z.boolean().openapi({ description: PRIVILEGED_NOTE }),
  })
  .partial()
  .openapi("UpdateUserRequest");

/** The admin-only fields and the stored value each one sets. */
const PRIVILEGED = { is_early_access: "isEarlyAccess", employee: "employee", is_admin: "isAdmin" } as const;
type PrivilegedField = keyof typeof PRIVILEGED;

/**
 * The privileged fields a body would change. Apps send the whole profile back, so a field at its current value is no
 * change and is accepted from anyone; only a different value needs an admin (architecture: access control).
 */
function privilegedChanges(body: Partial<Record<PrivilegedField, boolean>>, user: User): PrivilegedField[] {
  return (Object.keys(PRIVILEGED) as PrivilegedField[]).filter(
    (field) => body[field] !== undefined && body[field] !== user[PRIVILEGED[field]],
  );
}

const route = createRoute({
  method: "put",
  path: "/v1/user",
  operationId: "usercontroller_updatev1",
  tags: ["user"],
  summary: "Update profile",
  description:
    "Partial update: only the fields present change. `is_early_access`, `employee` and `is_admin` may be sent by anyone at their current values (apps send the whole profile back); changing one needs an admin: otherwise 403 naming the fields, and nothing of the body is applied.",
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(UpdateUserRequestSchema) },
  responses: { 200: jsonResponse(UserDtoSchema, "The updated profile"), ...errorResponses, ...forbiddenResponse },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const user = c.get("user");
    const changes = privilegedChanges(body, user);
    if (changes.length > 0 && !user.isAdmin) {
      throw forbidden(changes.map((field) => `${field} can only be changed by an admin`));
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
    if (Object.keys(defined).length === 0) return c.json(toUserDto(user), 200);
    const dto = toUserDto((await updateUser(getDb(c.env.DB), user.id, defined)) ?? user);
    await recordAccountChanges(c.env, [{ userId: user.id, change: { kind: "profile", op: "upsert", data: dto } }]);
    return c.json(dto, 200);
  });
}
