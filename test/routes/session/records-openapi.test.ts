import { describe, expect, it } from "vitest";
import { call } from "../../helpers";

/** The record tags in /openapi.json: every operation, its operationId, security, errors and described fields. */

interface Operation {
  operationId: string;
  tags: string[];
  security?: unknown;
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

interface Schema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}

const EXPECTED: Record<string, [string, string]> = {
  "POST /v1/session": ["sessioncontroller_createv1", "session"],
  "GET /v1/session": ["sessioncontroller_findallv1", "session"],
  "GET /v1/session/{id}": ["sessioncontroller_findonev1", "session"],
  "PUT /v1/session/{id}": ["sessioncontroller_updatev1", "session"],
  "DELETE /v1/session/{id}": ["sessioncontroller_deletev1", "session"],
  "POST /v1/activity": ["activitycontroller_createv1", "activity"],
  "GET /v1/activity": ["activitycontroller_findallv1", "activity"],
  "GET /v1/activity/{id}": ["activitycontroller_findonev1", "activity"],
  "PUT /v1/activity/{id}": ["activitycontroller_updatev1", "activity"],
  "DELETE /v1/activity/{id}": ["activitycontroller_deletev1", "activity"],
  "POST /v1/intention": ["intentioncontroller_createv1", "intention"],
  "GET /v1/intention": ["intentioncontroller_findallv1", "intention"],
  "GET /v1/intention/{id}": ["intentioncontroller_findonev1", "intention"],
  "PUT /v1/intention/{id}": ["intentioncontroller_updatev1", "intention"],
  "DELETE /v1/intention/{id}": ["intentioncontroller_deletev1", "intention"],
  "POST /v1/checkin": ["checkincontroller_createv1", "checkin"],
  "GET /v1/checkin": ["checkincontroller_findallv1", "checkin"],
  "GET /v1/checkin/{id}": ["checkincontroller_findonev1", "checkin"],
  "DELETE /v1/checkin/{id}": ["checkincontroller_deletev1", "checkin"],
  "POST /v1/day-feedback": ["dayfeedbackcontroller_createv1", "day-feedback"],
  "GET /v1/day-feedback": ["dayfeedbackcontroller_findallv1", "day-feedback"],
  "POST /v2/insight": ["insightcontroller_createv2", "insight"],
  "POST /v2/insight/feedback": ["insightcontroller_createfeedbackv2", "insight"],
  "GET /v2/insight": ["insightcontroller_findallv2", "insight"],
};

const TAGS = ["insight", "session", "checkin", "day-feedback", "activity", "intention"];
/** Shared schemas defined elsewhere (src/records/insights, src/lib/schemas); the rest is checked here. */
const NOT_HERE = new Set(["Insight", "ResearchInsight", "StatusSuccess"]);

async function document() {
  return (await call("GET", "/openapi.json")).body as {
    tags: { name: string; description: string }[];
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
}

describe("OpenAPI: personal-record operations", () => {
  it("documents every operation with its operationId, tag, bearer security and error responses", async () => {
    const doc = await document();
    const ops = Object.entries(doc.paths)
      .filter(([, item]) => Object.values(item).some((op) => TAGS.includes(op.tags?.[0] ?? "")))
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
      );
    expect(ops.map(([key]) => key).toSorted()).toEqual(Object.keys(EXPECTED).toSorted());
    for (const [key, op] of ops) {
      const [operationId, tag] = EXPECTED[key] as [string, string];
      expect(op.operationId, key).toBe(operationId);
      expect(op.tags, key).toEqual([tag]);
      expect(op.security, key).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(["400", "401", "403", "500"]));
      if (key.includes("{id}") || key === "POST /v2/insight/feedback" || key === "POST /v2/insight") {
        expect(Object.keys(op.responses), key).toContain("404");
      }
      const sharedUser = op.parameters?.find((p) => p.name === "shared-user");
      if (key.startsWith("GET"))
        expect(sharedUser, `${key} reads honor shared-user`).toMatchObject({ in: "header", required: false });
      else expect(sharedUser, key).toBeUndefined();
    }
    expect(doc.tags.filter((t) => TAGS.includes(t.name)).map((t) => t.name)).toEqual(TAGS);
    expect(doc.tags.find((t) => t.name === "checkin")?.description).toBe("User check-ins and wellness tracking");
  });

  it("declares the required app-version header of POST /v2/insight", async () => {
    const doc = await document();
    const op = doc.paths["/v2/insight"]?.post;
    expect(op?.parameters?.find((p) => p.name === "app-version")).toMatchObject({ in: "header", required: true });
  });

  it("describes every field of the record schemas", async () => {
    const doc = await document();
    const undescribed: string[] = [];
    const seen = new Set<string>();
    const visit = (schema: Schema | undefined, at: string) => {
      if (!schema) return;
      if (schema.$ref) {
        const name = schema.$ref.replace("#/components/schemas/", "");
        if (seen.has(name) || NOT_HERE.has(name) || name === "ErrorBody") return;
        seen.add(name);
        visit(doc.components.schemas[name], name);
        return;
      }
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        if (!property.$ref && !property.description) undescribed.push(`${at}.${field}`);
        visit(property, `${at}.${field}`);
      }
      visit(schema.items, `${at}[]`);
    };
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        if (!TAGS.includes(op.tags?.[0] ?? "")) continue;
        for (const media of Object.values(op.requestBody?.content ?? {})) visit(media.schema, op.operationId);
        for (const response of Object.values(op.responses)) {
          for (const media of Object.values(response.content ?? {})) visit(media.schema, op.operationId);
        }
        for (const parameter of op.parameters ?? []) {
          if (!parameter.description) undescribed.push(`${op.operationId} ${parameter.name}`);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(15);
    expect(undescribed).toEqual([]);
  });
});
