import { z } from "@hono/zod-openapi";
import { FIRMWARE_CHANNELS } from "../../db/schema";
import { compareVersions } from "../../firmware/semver";
import { badRequest } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { issueMessages } from "../../lib/validation";
import { HardwareRevisionSchema, SemverSchema, Sha256Schema } from "../firmware/schemas";

/**
 * The metadata of a new release (POST /v1/admin/firmware form fields, POST /v1/admin/firmware/uploads JSON), in the
 * contract's request casing. Form fields arrive as text: booleans as `true`/`false`, numbers as digits, hardware
 * revisions comma-separated or as repeated fields.
 */

const percent = (name: string) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(0, `${name} must be between 0 and 100`)
    .max(100, `${name} must be between 0 and 100`);

const booleanText = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const ReleaseMetadataFields = z
  .object({
    version: SemverSchema,
    hardware_revisions: z
      .array(HardwareRevisionSchema)
      .min(1, "hardware_revisions: at least one hardware revision")
      .max(LIMITS.firmwareHardwareMax)
      .transform((list) => [...new Set(list)].sort()),
    channel: z.enum(FIRMWARE_CHANNELS).default("stable"),
    notes: z.string().max(LIMITS.firmwareNotesLength).default(""),
    mandatory: booleanText.default(false),
    min_version: SemverSchema.nullable().optional(),
    rollout_percent: percent("rollout_percent").default(100),
    failure_threshold_percent: percent("failure_threshold_percent").default(10),
    min_reports: z.coerce.number().int().min(0).max(1_000_000).default(20),
    sha256: Sha256Schema.optional().openapi({
      description: "The binary's SHA-256 (hex); checked against the bytes received",
    }),
  })
  .strict();

export const ReleaseMetadataSchema = ReleaseMetadataFields.superRefine((m, ctx) => {
  if (m.min_version && compareVersions(m.min_version, m.version) >= 0) {
    ctx.addIssue({ code: "custom", path: ["min_version"], message: "must be older than version" });
  }
});

export type ReleaseMetadata = z.infer<typeof ReleaseMetadataSchema>;

/** Form fields as received (name → values in order) to the metadata, or a 400 naming every bad field. */
export function metadataFromForm(fields: Map<string, string[]>): ReleaseMetadata {
  const parsed = ReleaseMetadataSchema.safeParse(formInput(fields));
  if (!parsed.success) throw badRequest(issueMessages(parsed.error.issues));
  return parsed.data;
}

/**
 * The fields received so far, each checked on its own (a 400 for a bad one), before the binary is streamed: an
 * admin whose version is not semver learns it before sending 100 MB. Missing fields are checked at the end.
 */
export function checkReceivedFields(fields: Map<string, string[]>): Partial<ReleaseMetadata> {
  const parsed = ReleaseMetadataFields.partial().safeParse(formInput(fields));
  if (!parsed.success) throw badRequest(issueMessages(parsed.error.issues));
  return parsed.data;
}

function formInput(fields: Map<string, string[]>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, values] of fields) {
    if (name === "hardware_revisions" || name === "hardware_revision") {
      const list = (input.hardware_revisions as string[] | undefined) ?? [];
      for (const v of values)
        list.push(
          ...v
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s !== ""),
        );
      input.hardware_revisions = list;
    } else if (values.length > 1) {
      throw badRequest(`${name}: given ${values.length} times`);
    } else if (name === "min_version" && values[0] === "") {
      input.min_version = null;
    } else {
      input[name] = values[0];
    }
  }
  return input;
}
