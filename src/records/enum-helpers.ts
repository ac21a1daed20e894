import { z } from "@hono/zod-openapi";

/**
 * One documented value of a closed numeric enum. The wire carries `value`; `name` is this project's label for it
 * (the contract only documents the numbers for most of these enums, see docs/records.md).
 */
export interface NumericEnumEntry {
  readonly value: number;
  readonly name: string;
  readonly description: string;
  /** Still accepted on the wire (old clients send it) but no longer offered by current apps. */
  readonly deprecated?: boolean;
}

/** One documented value of a closed string enum: the wire value is its own name. */
export interface StringEnumEntry {
  readonly value: string;
  readonly description: string;
}

type NameToValue<T extends readonly NumericEnumEntry[]> = { readonly [E in T[number] as E["name"]]: E["value"] };

/**
 * A closed numeric enum from its documented entries: the values, a name → value map for code, and a zod schema.
 * The values must be contiguous integers, so the schema can be `int().min().max()`: @hono/zod-openapi renders a
 * multi-value `z.literal([...])` as a one-value enum, whereas `int().min().max()` plus an explicit `enum` renders exactly.
 */
export function numericEnum<const T extends readonly NumericEnumEntry[]>(label: string, entries: T) {
  const values = entries.map((entry) => entry.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const contiguous = values.every((value, index) => Number.isInteger(value) && value === min + index);
  if (!contiguous) throw new Error(`${label}: enum values must be contiguous integers in ascending order`);
  const message = `${label} must be one of ${values.join(", ")}`;
  const schema = z
    .number({ error: message })
    .int(message)
    .min(min, message)
    .max(max, message)
    .openapi({ enum: values, description: describeNumeric(label, entries) });
  // Object.fromEntries cannot carry the per-key literal types; the mapped type states exactly what it builds.
  const byName = Object.fromEntries(entries.map((entry) => [entry.name, entry.value])) as NameToValue<T>;
  return { entries, values, byName, schema };
}

/** A closed string enum from its documented entries: the values tuple and a zod schema with a readable error. */
export function stringEnum<const T extends readonly StringEnumEntry[]>(label: string, entries: T) {
  const values = entries.map((entry): T[number]["value"] => entry.value);
  const schema = z
    .enum(values, { error: `${label} must be one of ${values.join(", ")}` })
    .openapi({ description: describeString(label, entries) });
  return { entries, values, schema };
}

function describeNumeric(label: string, entries: readonly NumericEnumEntry[]): string {
  const lines = entries.map((e) => `${e.value} ${e.name}${e.deprecated ? " (deprecated)" : ""}: ${e.description}`);
  return `${label}. ${lines.join("; ")}`;
}

function describeString(label: string, entries: readonly StringEnumEntry[]): string {
  return `${label}. ${entries.map((e) => `${e.value}: ${e.description}`).join("; ")}`;
}
