import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { InsightResponseSchema } from "../../src/records/insights/schemas";
import { CheckinSchema } from "../../src/routes/checkin/schemas";
import { DayFeedbackSchema } from "../../src/routes/day-feedback/schemas";
import { InsightHistoryEntrySchema } from "../../src/routes/insight/schemas";
import { SessionSchema } from "../../src/routes/session/schemas";
import { SharedDashboardSchema, SharedGroupSchema } from "../../src/routes/shared/schemas";
import { checkinItem, dayFeedbackItem, intentionItem } from "../fixtures/records";
import { share } from "../fixtures/sharing";
import {
  type CallResult,
  call,
  expectBody,
  expectError,
  expectTokens,
  newUser,
  profileOf,
  read,
  registration,
  type TestUser,
} from "../helpers";
import { emptyInput } from "../records/build-input";

/**
 * Free text (security finding 9): every free-text request field refuses NUL and unpaired UTF-16 surrogates, stores
 * exactly what the client sent (no trim, no normalization), and keeps line breaks only where the field is multi-line.
 * One table of fields by class; each class has its own rules (docs/auth.md "Free text").
 */

type FieldClass = "name" | "line" | "note" | "settings";

interface Field {
  name: string;
  kind: FieldClass;
  /** Sends `value` in the field; answers the response and a reader of the stored value. */
  send: (value: string) => Promise<{ res: CallResult; stored: () => Promise<unknown> }>;
}

const MARCH = "start_day=2024-03-01&end_day=2024-03-31";

async function profileName(key: "first_name" | "last_name", value: string) {
  const user = await newUser();
  const res = await call("PUT", "/v1/user", { token: user.access, body: { [key]: value } });
  const field = key === "first_name" ? "firstName" : "lastName";
  return { res, stored: async () => (await profileOf(user.access))[field] };
}

async function registeredName(key: "first_name" | "last_name", value: string) {
  const reg = { ...registration(), [key]: value };
  const res = await call("POST", "/v1/auth/register", { body: reg });
  return {
    res,
    stored: async () => {
      const login = await call("POST", "/v2/auth/login", { body: { email: reg.email, password: reg.password } });
      if (login.status !== 201) return undefined;
      const me = await profileOf(expectTokens(login).access);
      return me[key === "first_name" ? "firstName" : "lastName"];
    },
  };
}

const groups = (user: TestUser) => read("/v1/shared/groups", { token: user.access }, z.array(SharedGroupSchema));
const sessions = (user: TestUser) =>
  read("/v1/session?start_date=2024-03-01&end_date=2024-03-31", { token: user.access }, z.array(SessionSchema));
/** The part of the settings object these tests write. */
const NotesSettingsSchema = z.object({
  settings: z.object({ onboarding: z.object({ notes: z.array(z.string()) }).optional() }),
});

async function sessionInfo(key: "name" | "note" | "tool", value: string) {
  const user = await newUser();
  const item = intentionItem();
  const res = await call("POST", "/v1/session", {
    token: user.access,
    body: [{ ...item, info: { ...item.info, [key]: value } }],
  });
  return {
    res,
    stored: async () => (await sessions(user))[0]?.info[key],
  };
}

const FIELDS: Field[] = [
  { name: "PUT /v1/user first_name", kind: "name", send: (v) => profileName("first_name", v) },
  { name: "PUT /v1/user last_name", kind: "name", send: (v) => profileName("last_name", v) },
  { name: "POST /v1/auth/register first_name", kind: "name", send: (v) => registeredName("first_name", v) },
  { name: "POST /v1/auth/register last_name", kind: "name", send: (v) => registeredName("last_name", v) },
  {
    name: "POST /v1/shared/groups name",
    kind: "name",
    send: async (value) => {
      const user = await newUser();
      const res = await call("POST", "/v1/shared/groups", { token: user.access, body: { name: value } });
      return { res, stored: async () => (await groups(user))[0]?.name };
    },
  },
  {
    name: "PATCH /v1/shared/groups/{groupId} name",
    kind: "name",
    send: async (value) => {
      const user = await newUser();
      const group = await call("POST", "/v1/shared/groups", { token: user.access, body: { name: "Family" } });
      const res = await call("PATCH", `/v1/shared/groups/${expectBody(group, 201, SharedGroupSchema).id}`, {
        token: user.access,
        body: { name: value },
      });
      return { res, stored: async () => (await groups(user))[0]?.name };
    },
  },
  {
    name: "POST /v1/shared/custom customName",
    kind: "name",
    send: async (value) => {
      const owner = await newUser("owner");
      const viewer = await newUser("viewer");
      await share(owner, viewer);
      const res = await call("POST", "/v1/shared/custom", {
        token: viewer.access,
        body: { userId: owner.id, customName: value, iconColor: "#ff8800" },
      });
      return {
        res,
        stored: async () =>
          (await read("/v1/shared", { token: viewer.access }, z.array(SharedDashboardSchema)))[0]?.customName,
      };
    },
  },
  { name: "POST /v1/session info.name", kind: "line", send: (v) => sessionInfo("name", v) },
  { name: "POST /v1/session info.tool", kind: "line", send: (v) => sessionInfo("tool", v) },
  {
    name: "POST /v2/insight/feedback app_version",
    kind: "line",
    send: async (value) => {
      const user = await newUser();
      const insight = await call("POST", "/v2/insight", {
        token: user.access,
        headers: { "app-version": "2.5.1" },
        body: emptyInput(),
      });
      const reflection = expectBody(insight, 201, InsightResponseSchema);
      const day = reflection.date;
      const res = await call("POST", "/v2/insight/feedback", {
        token: user.access,
        body: [
          {
            app_version: value,
            date: day,
            feedback: [{ section: "research_insight", options: ["helpful"], thumbUp: true }],
            instance_id: reflection.id,
            test_build: false,
          },
        ],
      });
      return {
        res,
        stored: async () =>
          (
            await read(
              `/v2/insight?start_day=${day}&end_day=${day}`,
              { token: user.access },
              z.array(InsightHistoryEntrySchema),
            )
          )[0]?.feedback[0]?.appVersion,
      };
    },
  },
  { name: "POST /v1/session info.note", kind: "note", send: (v) => sessionInfo("note", v) },
  {
    name: "POST /v1/session info.subjective_inputs[].note",
    kind: "note",
    send: async (value) => {
      const user = await newUser();
      const item = intentionItem();
      const input = { datetime: "2024-03-20T08:10:00Z", type: 2, value: 4, note: value };
      const res = await call("POST", "/v1/session", {
        token: user.access,
        body: [{ ...item, info: { ...item.info, subjective_inputs: [input] } }],
      });
      return {
        res,
        stored: async () => (await sessions(user))[0]?.info.subjectiveInputs[0]?.note,
      };
    },
  },
  {
    name: "POST /v1/checkin note",
    kind: "note",
    send: async (value) => {
      const user = await newUser();
      const res = await call("POST", "/v1/checkin", { token: user.access, body: [checkinItem({ note: value })] });
      return {
        res,
        stored: async () =>
          (await read(`/v1/checkin?${MARCH}`, { token: user.access }, z.array(CheckinSchema)))[0]?.note,
      };
    },
  },
  {
    name: "POST /v1/day-feedback note",
    kind: "note",
    send: async (value) => {
      const user = await newUser();
      const res = await call("POST", "/v1/day-feedback", {
        token: user.access,
        body: [dayFeedbackItem({ note: value })],
      });
      return {
        res,
        stored: async () =>
          (await read(`/v1/day-feedback?${MARCH}`, { token: user.access }, z.array(DayFeedbackSchema)))[0]?.note,
      };
    },
  },
  {
    name: "PUT /v1/user/settings (a nested string)",
    kind: "settings",
    send: async (value) => {
      const user = await newUser();
      const res = await call("PUT", "/v1/user/settings", {
        token: user.access,
        body: { settings: { onboarding: { notes: ["ok", value] } } },
      });
      return {
        res,
        stored: async () =>
          (await read("/v1/user/settings", { token: user.access }, NotesSettingsSchema)).settings.onboarding?.notes[1],
      };
    },
  },
];

const NUL = "Bob\u0000Evil";
const LONE_HIGH = "Bob\uD83D";
const LONE_LOW = "\uDE00Bob";
const REVERSED_PAIR = "Bob\uDE00\uD83D";

describe("free text: refused everywhere", () => {
  for (const field of FIELDS) {
    for (const [what, value] of [
      ["NUL (U+0000)", NUL],
      ["a lone high surrogate", LONE_HIGH],
      ["a lone low surrogate", LONE_LOW],
      ["a reversed surrogate pair", REVERSED_PAIR],
    ]) {
      it(`${field.name}: ${what} is a 400 and nothing is stored`, async () => {
        const { res, stored } = await field.send(value as string);
        expectError(res, 400, "VALIDATION_FAILED");
        expect(await stored()).not.toBe(value);
      });
    }
  }
});

describe("free text: kept exactly as sent", () => {
  for (const field of FIELDS) {
    it(`${field.name}: emoji, accents and surrounding spaces come back unchanged`, async () => {
      // "é" decomposed (e + U+0301) must not be normalized to U+00E9; the spaces must not be trimmed.
      const value = field.kind === "settings" ? " e\u0301 😀 " : " Bo\u0301b 😀 ";
      const { res, stored } = await field.send(value);
      expect(res.status, res.text).toBeLessThan(300);
      expect(await stored()).toBe(value);
    });
  }
});

describe("free text: line breaks", () => {
  for (const field of FIELDS.filter((f) => f.kind === "name" || f.kind === "line")) {
    for (const [what, value] of [
      ["LF", "Sponge\nBob"],
      ["CR", "Sponge\rBob"],
      ["CR LF", "Sponge\r\nBob"],
      ["U+2028", "Sponge\u2028Bob"],
    ]) {
      it(`${field.name} is one line: ${what} is a 400`, async () => {
        expectError((await field.send(value as string)).res, 400, "VALIDATION_FAILED");
      });
    }
  }

  for (const field of FIELDS.filter((f) => f.kind === "note" || f.kind === "settings")) {
    it(`${field.name} may span lines: CR LF and LF are kept`, async () => {
      const value = "first line\r\nsecond line\nthird\tcolumn";
      const { res, stored } = await field.send(value);
      expect(res.status, res.text).toBeLessThan(300);
      expect(await stored()).toBe(value);
    });
  }
});

describe("free text: names must not be blank", () => {
  for (const field of FIELDS.filter((f) => f.kind === "name")) {
    for (const [what, value] of [
      ["spaces only", "   "],
      ["a tab", "\t"],
      ["a no-break space", "\u00a0"],
    ]) {
      it(`${field.name}: ${what} is a 400 (refused, not trimmed)`, async () => {
        const res = (await field.send(value as string)).res;
        expectError(res, 400, "VALIDATION_FAILED");
        expect((res.body as { message: string[] }).message.join(" "), res.text).toContain("must not be blank");
      });
    }
  }
});

describe("free text: the messages say what is wrong", () => {
  it("names the field and the problem", async () => {
    const user = await newUser();
    const res = await call("PUT", "/v1/user", {
      token: user.access,
      body: { first_name: NUL, last_name: LONE_HIGH },
    });
    expectError(res, 400, "VALIDATION_FAILED");
    expect(res.body.message).toEqual([
      "first_name: must not contain NUL (U+0000)",
      "last_name: must not contain an unpaired UTF-16 surrogate",
    ]);
    const settings = await call("PUT", "/v1/user/settings", {
      token: user.access,
      body: { settings: { onboarding: { notes: ["ok", NUL] } } },
    });
    expectError(settings, 400, "VALIDATION_FAILED");
    expect(settings.body.message).toEqual(["settings.onboarding.notes[1]: must not contain NUL (U+0000)"]);
    const key = await call("PUT", "/v1/user/settings", {
      token: user.access,
      body: { settings: { theme: { [`k${NUL}`]: 1 } } },
    });
    expectError(key, 400, "VALIDATION_FAILED");
    expect(key.body.message).toEqual(["settings.theme: a key must not contain NUL (U+0000)"]);
  });
});
