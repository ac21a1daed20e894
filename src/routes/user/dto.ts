import { z } from "@hono/zod-openapi";
import { GENDERS, HANDS, UNITS, type User } from "../../db/schema";
import { TimestampSchema } from "../../lib/schemas";

/** UserDto (contract §3): camelCase; all fields present, `null` where the user has not set them yet. */
export const UserDtoSchema = z
  .object({
    id: z.string().openapi({ example: "uid_69954cbc5ef58c2b4a140903bceed6c0NYBoQ803kphGz89qu9KsaXtlJVdF56KN" }),
    email: z.string().openapi({ example: "spongebob@bikinibottom.com" }),
    firstName: z.string().openapi({ example: "Sponge Bob" }),
    lastName: z.string().openapi({ example: "Squarepants" }),
    isEarlyAccess: z.boolean().openapi({ example: true }),
    gender: z.enum(GENDERS).nullable().openapi({ example: "MALE" }),
    watchHand: z.enum(HANDS).nullable().openapi({ example: "RIGHT" }),
    dominantHand: z.enum(HANDS).nullable().openapi({ example: "RIGHT" }),
    height: z.number().int().nullable().openapi({ description: "cm", example: 180 }),
    weight: z.number().int().nullable().openapi({ description: "kg", example: 80 }),
    dateOfBirth: TimestampSchema.nullable().openapi({ example: "1986-07-14T00:00:00.000Z" }),
    unit: z.enum(UNITS).openapi({ example: "METRIC" }),
    employee: z.boolean().openapi({ example: false }),
    lastSyncAt: TimestampSchema.nullable().openapi({
      description: "When the mobile app last synced data",
      example: "2024-01-01T12:00:00.000Z",
    }),
    emailVerified: z.boolean().openapi({
      description:
        "Whether the owner of the address has proven it (POST /v1/auth/verify_email, or a completed password reset). Until then the account takes no part in sharing. Not in the NOWATCH 0.9.0 reference.",
      example: true,
    }),
  })
  .openapi("UserDto");

export const AdminUserDtoSchema = UserDtoSchema.extend({ isAdmin: z.boolean().openapi({ example: false }) }).openapi(
  "AdminUserDto",
);

export type UserDto = z.infer<typeof UserDtoSchema>;

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    isEarlyAccess: user.isEarlyAccess,
    gender: user.gender,
    watchHand: user.watchHand,
    dominantHand: user.dominantHand,
    height: user.height,
    weight: user.weight,
    dateOfBirth: user.dateOfBirth,
    unit: user.unit,
    employee: user.employee,
    lastSyncAt: user.lastSyncAt,
    emailVerified: user.emailVerifiedAt !== null,
  };
}

export function toAdminUserDto(user: User) {
  return { ...toUserDto(user), isAdmin: user.isAdmin };
}
