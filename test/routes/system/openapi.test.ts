import { beforeAll, describe, expect, it } from "vitest";
import { call, expectObject } from "../../helpers";

/**
 * What /openapi.json tells a client developer (or a generated client): formats and bounds must be in the document,
 * not only in prose, because that is all a code generator reads.
 */

type Json = Record<string, unknown>;

interface Property {
  /** `Schema.property`, `METHOD /path body.property` or `METHOD /path ?param`. */
  where: string;
  name: string;
  schema: Json;
}

let doc: Json;
let components: Record<string, Json>;

beforeAll(async () => {
  const res = await call("GET", "/openapi.json");
  expect(res.status, res.text).toBe(200);
  doc = expectObject(res.body);
  components = (doc.components as { schemas: Record<string, Json> }).schemas;
});

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })),
  );

/** Every named property: of the components, of inline request/response schemas, and every parameter. */
function properties(): Property[] {
  const found: Property[] = [];
  const walk = (schema: unknown, where: string) => {
    if (!schema || typeof schema !== "object") return;
    const s = schema as Json;
    for (const [name, child] of Object.entries((s.properties ?? {}) as Record<string, Json>)) {
      found.push({ where: `${where}.${name}`, name, schema: child });
      walk(child, `${where}.${name}`);
    }
    if (s.items) walk(s.items, `${where}[]`);
    for (const key of ["anyOf", "oneOf", "allOf"]) for (const branch of (s[key] ?? []) as Json[]) walk(branch, where);
  };
  for (const [name, schema] of Object.entries(components)) walk(schema, name);
  for (const { id, op } of operations()) {
    for (const p of (op.parameters ?? []) as Json[]) {
      found.push({ where: `${id} ?${p.name}`, name: String(p.name), schema: p.schema as Json });
    }
    const media = (content: unknown) => Object.values((content ?? {}) as Record<string, Json>);
    for (const m of media((op.requestBody as Json | undefined)?.content)) walk(m.schema, `${id} body`);
    for (const r of Object.values((op.responses ?? {}) as Record<string, Json>)) {
      for (const m of media(r.content)) walk(m.schema, `${id} response`);
    }
  }
  return found;
}

const property = (schema: string, name: string): Json => {
  const value = (components[schema]?.properties as Record<string, Json> | undefined)?.[name];
  expect(value, `${schema}.${name} is in the document`).toBeDefined();
  return value as Json;
};

const hasFormat = (schema: Json, format: string): boolean =>
  schema.format === format || ((schema.anyOf ?? []) as Json[]).some((branch) => hasFormat(branch, format));

/** Names that hold an instant in this API (contract §1 "Timestamps are ISO date-time strings"). */
const DATE_TIME_NAME =
  /^(created|lastUpdated|timestamp|at|sentDate|dateOfBirth|date_of_birth|start_date|end_date)$|(At|_at|Since|datetime|Datetime)$/;

describe("/openapi.json formats", () => {
  it("every date-time field, in requests and responses, says format date-time", () => {
    const dateTimes = properties().filter((p) => DATE_TIME_NAME.test(p.name));
    expect(dateTimes.length).toBeGreaterThan(60);
    const missing = dateTimes.filter((p) => !hasFormat(p.schema, "date-time")).map((p) => p.where);
    expect(missing).toEqual([]);
  });

  it("the contract's named date-time fields are among them", () => {
    for (const [schema, name] of [
      ["UserDto", "dateOfBirth"],
      ["UserDto", "lastSyncAt"],
      ["UserSettings", "createdAt"],
      ["UserSettings", "updatedAt"],
      ["RegisterRequest", "toc_accepted_at"],
      ["RegisterRequest", "privacy_policy_accepted_at"],
      ["UpdateUserRequest", "date_of_birth"],
      ["MeasurementDay", "day"],
      ["MeasurementDay", "created"],
      ["MeasurementDay", "updatedAt"],
      ["ShareRecord", "sharedSince"],
      ["SharingInviteRequest", "shareSince"],
      ["Session", "startDatetime"],
      ["ErrorBody", "timestamp"],
      ["InsightFeedbackV2Dto", "date"],
    ] as const) {
      expect(hasFormat(property(schema, name), "date-time"), `${schema}.${name}`).toBe(true);
    }
  });

  it("a field that takes a day or a date-time offers both formats", () => {
    for (const [schema, name] of [
      ["UpdateUserRequest", "date_of_birth"],
      ["InsightFeedbackV2Dto", "date"],
    ] as const) {
      const value = property(schema, name);
      expect([hasFormat(value, "date"), hasFormat(value, "date-time")], `${schema}.${name}`).toEqual([true, true]);
    }
  });

  it("emails say format email and at most 254 characters", () => {
    for (const schema of ["RegisterRequest", "LoginRequest", "SharingEmailRequest"]) {
      expect(property(schema, "email"), schema).toMatchObject({ format: "email", maxLength: 254 });
    }
  });
});

describe("/openapi.json bounds", () => {
  it.each([
    ["RegisterRequest", "password", { minLength: 8, maxLength: 99 }],
    ["ChangePasswordRequest", "new_password", { minLength: 8, maxLength: 99 }],
    ["ConfirmNewPasswordRequest", "new_password", { minLength: 8, maxLength: 99 }],
    ["RegisterRequest", "first_name", { minLength: 1, maxLength: 150 }],
    ["RegisterRequest", "last_name", { minLength: 1, maxLength: 150 }],
    ["UpdateUserRequest", "first_name", { minLength: 1, maxLength: 150 }],
    ["UpdateUserRequest", "last_name", { minLength: 1, maxLength: 150 }],
    ["UpdateUserRequest", "height", { minimum: 30, maximum: 300 }],
    ["UpdateUserRequest", "weight", { minimum: 1, maximum: 700 }],
    ["SharedGroupNameRequest", "name", { minLength: 1, maxLength: 100 }],
    ["SubjectiveInputRequest", "note", { maxLength: 2000 }],
    ["SubjectiveInputRequest", "value", { minimum: 1, maximum: 5 }],
    ["SubjectiveInput", "value", { minimum: 1, maximum: 5 }],
    ["MeasurementBatch", "start", { minimum: 946684800, maximum: 4102444800 }],
    ["InsightFeedbackV2Dto", "instance_id", { maxLength: 200 }],
    ["CheckinCreate", "note", { maxLength: 2000 }],
    ["DayFeedbackCreate", "note", { maxLength: 2000 }],
    ["SessionCreateInfo", "note", { maxLength: 2000 }],
    ["SessionCreateInfo", "name", { maxLength: 150 }],
  ] as const)("%s.%s carries %j", (schema, name, bounds) => {
    expect(property(schema, name)).toMatchObject(bounds);
  });

  /** Every property a request body can carry, array items included (their schema, not the array's). */
  const requestProperties = (): Property[] => {
    const requestBodies = new Set<string>();
    for (const { op } of operations()) {
      const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      for (const media of Object.values(content)) collectRefs(media.schema, requestBodies);
    }
    return properties()
      .filter((p) => requestBodies.has(p.where.split(/[.[ ]/)[0] ?? "") || p.where.includes(" body"))
      .flatMap((p) => (p.schema.type === "array" && p.schema.items ? [{ ...p, schema: p.schema.items as Json }] : [p]));
  };

  it("every number in a request body has a minimum and a maximum", () => {
    const unbounded = requestProperties()
      .filter((p) => isNumber(p.schema) && (p.schema.minimum === undefined || p.schema.maximum === undefined))
      .filter((p) => !Array.isArray(p.schema.enum))
      .map((p) => p.where);
    expect(unbounded).toEqual([]);
  });

  it("every string in a request body is bounded: a maxLength, a format, a pattern or an enum", () => {
    // time_format is the one exception by decision: the contract types it as any string and none is refused.
    const unbounded = requestProperties()
      .filter((p) => isString(p.schema) && p.name !== "time_format")
      .filter((p) => p.schema.maxLength === undefined && !p.schema.format && !p.schema.pattern && !p.schema.enum)
      .map((p) => p.where);
    expect(unbounded).toEqual([]);
  });
});

describe("/openapi.json security and info", () => {
  it("public operations declare security [] and every other one a scheme", () => {
    const ops = operations();
    for (const id of ["GET /health", "GET /.well-known/jwks.json"]) {
      expect(ops.find((o) => o.id === id)?.op.security, id).toEqual([]);
    }
    expect(ops.filter((o) => o.op.security === undefined).map((o) => o.id)).toEqual([]);
  });

  it("info carries the project's license", () => {
    expect((doc.info as Json).license).toEqual({ name: "Apache-2.0", identifier: "Apache-2.0" });
  });
});

function isNumber(schema: Json): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes("number") || types.includes("integer");
}

function isString(schema: Json): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes("string");
}

/** The component names a schema uses, transitively. */
function collectRefs(schema: unknown, into: Set<string>) {
  if (!schema || typeof schema !== "object") return;
  const ref = (schema as Json).$ref;
  if (typeof ref === "string") {
    const name = ref.split("/").pop() ?? "";
    if (into.has(name)) return;
    into.add(name);
    collectRefs(components[name], into);
    return;
  }
  for (const value of Object.values(schema as Json)) collectRefs(value, into);
}
