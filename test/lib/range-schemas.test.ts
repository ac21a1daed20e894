import { describe, expect, it } from "vitest";
import { DayRangeQuerySchema } from "../../src/lib/schemas";
import { SeriesQuerySchema } from "../../src/routes/measurement/series";
import { SessionRangeQuerySchema } from "../../src/routes/session/list";

/**
 * Finding 6: a range rule ran on fields that had already failed and threw `RangeError: Invalid time value` (a 500).
 * Every range schema shares `rangeRule`, which runs only on valid fields: a bad field is a plain validation issue.
 */
const BAD = ["abc", "", "2025-13-01", "1e400", "2025-02-30"];

const SCHEMAS = [
  { name: "day range", schema: DayRangeQuerySchema, valid: { start_day: "2024-03-01", end_day: "2024-03-31" } },
  {
    name: "session range",
    schema: SessionRangeQuerySchema,
    valid: { start_date: "2024-03-01", end_date: "2024-03-31" },
  },
  {
    name: "series",
    schema: SeriesQuerySchema,
    valid: { type: "HEART_RATE", start: "2024-03-01", end: "2024-03-31", resolution: "1m" },
  },
] as const;

describe("range query schemas", () => {
  for (const { name, schema, valid } of SCHEMAS) {
    const [startKey, endKey] = Object.keys(valid).filter((k) => k !== "type" && k !== "resolution") as string[];
    for (const key of [startKey, endKey]) {
      it.each(BAD)(`${name}: ${key}=%j is a validation issue on that field, not an exception`, (bad) => {
        const parsed = schema.safeParse({ ...valid, [key as string]: bad });
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual([key]);
      });
    }

    it(`${name}: the range rule still refuses an inverted range`, () => {
      const parsed = schema.safeParse({ ...valid, [startKey as string]: "2024-04-01" });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual([startKey]);
    });
  }
});
