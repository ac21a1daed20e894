import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nowSeconds } from "../../../src/lib/time";
import { UploadSummarySchema } from "../../../src/measurements/schemas";
import { call, expectBody, expectError, expectSchema, newUser, nth, profileOf } from "../../helpers";
import { csv, DAY, DAY0, daySamples, getDays, gzipped, heartRate, range, upload, zipped } from "./helpers";

describe("POST /v1/measurement/upload", () => {
  it("stores a zipped CSV day and GET returns the contract's per-day document", async () => {
    const user = await newUser();
    const rows = heartRate(DAY0, 3600);
    const res = await upload(user.access, "HEART_RATE", zipped(csv(rows)));
    expect(res.status, res.text).toBe(201);
    const summary = expectSchema(UploadSummarySchema, res.body);
    expect(summary).toMatchObject({
      type: "HEART_RATE",
      rowsRead: 3600,
      samplesAccepted: 3600,
      samplesReplaced: 0,
      daysTouched: 1,
      firstDatetime: "2025-08-09T00:00:00.000Z",
      lastDatetime: "2025-08-09T00:59:59.000Z",
    });

    const got = await getDays(user.access, range("HEART_RATE", DAY0, DAY0));
    expect(got).toHaveLength(1);
    const doc = nth(got);
    expect(doc).toMatchObject({ count: 3600, type: "HEART_RATE", day: "2025-08-09T00:00:00.000Z" });
    const values = JSON.parse(doc.values);
    expect(Object.keys(values)).toHaveLength(3600);
    expect(values["0"]).toEqual([60, 4]);
    expect(values["41"]).toEqual([61, 4]);
  });

  it("accepts plain and gzip CSV (detected by content), with or without a header, CRLF endings", async () => {
    const user = await newUser();
    const text = csv(
      [
        [DAY0, 16.5, 4],
        [DAY0 + 1, 17.25, 3],
      ],
      false,
    ).replaceAll("\n", "\r\n");
    expect((await upload(user.access, "RESPIRATION_RATE", text)).status).toBe(201);
    expect((await upload(user.access, "TEMPERATURE", gzipped(csv([[DAY0, 36.6, 4]])))).status).toBe(201);
    expect(await daySamples(user.access, range("RESPIRATION_RATE", DAY0, DAY0))).toEqual({
      "0": [16.5, 4],
      "1": [17.25, 3],
    });
    expect(await daySamples(user.access, range("TEMPERATURE", DAY0, DAY0))).toEqual({ "0": [36.6, 4] });
  });

  it("is idempotent: the same file twice leaves the same state and reports replacements", async () => {
    const user = await newUser();
    const file = zipped(csv(heartRate(DAY0 + 100, 500)));
    await upload(user.access, "HEART_RATE", file);
    const before = nth(await getDays(user.access, range("HEART_RATE", DAY0, DAY0)));
    const again = await upload(user.access, "HEART_RATE", file);
    expect(again.body).toMatchObject({ samplesAccepted: 500, samplesReplaced: 500 });
    const after = nth(await getDays(user.access, range("HEART_RATE", DAY0, DAY0)));
    expect(after.values).toBe(before.values);
    expect(after.count).toBe(500);
  });

  it("merges uploads: a later value for the same second replaces the stored one", async () => {
    const user = await newUser();
    await upload(
      user.access,
      "HEART_RATE",
      csv([
        [DAY0, 70, 4],
        [DAY0 + 1, 71, 4],
      ]),
    );
    await upload(
      user.access,
      "HEART_RATE",
      csv([
        [DAY0 + 1, 99, 2],
        [DAY0 + 2, 72, 4],
      ]),
    );
    expect(await daySamples(user.access, range("HEART_RATE", DAY0, DAY0))).toEqual({
      "0": [70, 4],
      "1": [99, 2],
      "2": [72, 4],
    });
  });

  it("splits a multi-day upload by UTC day; GET honours sort and omits empty days", async () => {
    const user = await newUser();
    const rows = [...heartRate(DAY0 + DAY - 2, 4), ...heartRate(DAY0 + 3 * DAY, 2)];
    const res = await upload(user.access, "HEART_RATE", zipped(csv(rows)));
    expect(expectBody(res, 201, UploadSummarySchema).daysTouched).toBe(3);
    const asc = await getDays(user.access, range("HEART_RATE", DAY0, DAY0 + 5 * DAY));
    expect(asc.map((d) => [d.day.slice(0, 10), d.count])).toEqual([
      ["2025-08-09", 2],
      ["2025-08-10", 2],
      ["2025-08-12", 2],
    ]);
    const desc = await getDays(user.access, range("HEART_RATE", DAY0, DAY0 + 5 * DAY, "DESC"));
    expect(desc.map((d) => d.day.slice(0, 10))).toEqual(["2025-08-12", "2025-08-10", "2025-08-09"]);
    const empty = await call("GET", range("HEART_RATE", DAY0 + 10 * DAY, DAY0 + 11 * DAY), { token: user.access });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual([]);
  });

  it("keeps duplicate seconds inside one file as the last row", async () => {
    const user = await newUser();
    const res = await upload(
      user.access,
      "HEART_RATE",
      csv([
        [DAY0, 70, 4],
        [DAY0, 80, 3],
      ]),
    );
    expect(res.body).toMatchObject({ rowsRead: 2, samplesAccepted: 1 });
    expect(await daySamples(user.access, range("HEART_RATE", DAY0, DAY0))).toEqual({ "0": [80, 3] });
  });

  it("takes graph types without a quality column and reports quality 4", async () => {
    const user = await newUser();
    const res = await upload(user.access, "HEART_RATE_GRAPH", "datetime,value\n1754697600,75\n1754697660,76\n");
    expect(res.status, res.text).toBe(201);
    expect(await daySamples(user.access, range("HEART_RATE_GRAPH", DAY0, DAY0))).toEqual({
      "0": [75, 4],
      "60": [76, 4],
    });
  });

  it("advances lastSyncAt on a successful upload only", async () => {
    const user = await newUser();
    expect((await profileOf(user.access)).lastSyncAt).toBeNull();
    await upload(user.access, "HEART_RATE", "1754697600,70,4\nbad\n");
    expect((await profileOf(user.access)).lastSyncAt).toBeNull();
    await upload(user.access, "HEART_RATE", csv([[DAY0, 70, 4]]));
    const synced = (await profileOf(user.access)).lastSyncAt;
    expect(Date.now() - Date.parse(String(synced))).toBeLessThan(60_000);
    // Within the minute it stays (one D1 write per sync burst); a minute later the next upload moves it.
    await upload(user.access, "HEART_RATE", csv([[DAY0 + 1, 71, 4]]));
    expect((await profileOf(user.access)).lastSyncAt).toBe(synced);
    const old = new Date(Date.now() - 61_000).toISOString();
    await env.DB.prepare("UPDATE users SET last_sync_at = ? WHERE id = ?").bind(old, user.id).run();
    await upload(user.access, "HEART_RATE", csv([[DAY0 + 2, 72, 4]]));
    expect(Date.parse(String((await profileOf(user.access)).lastSyncAt))).toBeGreaterThan(Date.parse(old) + 60_000);
  });

  it("keeps 50 concurrent uploads into the same day (disjoint seconds): every sample is present", async () => {
    const user = await newUser();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, k) => upload(user.access, "HEART_RATE", csv(heartRate(DAY0 + k * 100, 100)))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const got = nth(await getDays(user.access, range("HEART_RATE", DAY0, DAY0)));
    expect(got.count).toBe(5000);
    expect(Object.keys(JSON.parse(got.values))).toHaveLength(5000);
  });
});

describe("POST /v1/measurement/upload: bad input stores nothing", () => {
  const now = nowSeconds();
  const cases: [string, string | undefined, string | Uint8Array | undefined, string][] = [
    ["an unknown type", "HEART_RATES", csv([[DAY0, 70, 4]]), "type"],
    ["a missing type", undefined, csv([[DAY0, 70, 4]]), "type"],
    ["a missing file", "HEART_RATE", undefined, "file"],
    ["a zip with no entries", "HEART_RATE", new Uint8Array([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]), "file"],
    [
      "a non-numeric value",
      "HEART_RATE",
      "datetime,value,quality_indicator\n1754697600,70,4\n1754697601,abc,4\n",
      "line 3",
    ],
    ["a quality outside 0-4", "HEART_RATE", "1754697600,70,5\n", "line 1"],
    ["a datetime before 2000", "HEART_RATE", "946684799,70,4\n", "line 1"],
    ["a datetime more than a day ahead", "HEART_RATE", `${now + 3 * DAY},70,4\n`, "line 1"],
    ["a missing quality column", "HEART_RATE", "1754697600,70\n", "line 1"],
    ["an empty file", "HEART_RATE", "", "no data"],
    ["a header only", "HEART_RATE", "datetime,value,quality_indicator\n", "no data"],
  ];
  for (const [name, type, file, mention] of cases) {
    it(`refuses ${name} with 400`, async () => {
      const user = await newUser();
      const res = await upload(user.access, type, file);
      expectError(res, 400);
      expect(res.body.message.join(" "), res.text).toContain(mention);
      const stored = await call("GET", "/v1/measurement/checkpoint", { token: user.access });
      expect(stored.body).toEqual([]);
      expect((await profileOf(user.access)).lastSyncAt).toBeNull();
    });
  }

  it("refuses a zip with two files", async () => {
    const { strToU8, zipSync } = await import("fflate");
    const user = await newUser();
    const res = await upload(
      user.access,
      "HEART_RATE",
      zipSync({ "a.csv": strToU8("1754697600,70,4\n"), "b.csv": strToU8("1754697601,70,4\n") }),
    );
    expectError(res, 400);
    expect((await call("GET", "/v1/measurement/checkpoint", { token: user.access })).body).toEqual([]);
  });

  it("stores nothing when the bad row is the last of many days", async () => {
    const user = await newUser();
    const rows = csv(heartRate(DAY0, 3 * DAY));
    const res = await upload(user.access, "HEART_RATE", zipped(`${rows}1754697600,oops,4\n`));
    expectError(res, 400);
    expect(res.body.message[0]).toContain(`line ${3 * DAY + 2}`);
    expect((await call("GET", "/v1/measurement/checkpoint", { token: user.access })).body).toEqual([]);
  });

  it("refuses a body that is not multipart with 415", async () => {
    const user = await newUser();
    expectError(
      await call("POST", "/v1/measurement/upload", { token: user.access, body: { type: "HEART_RATE" } }),
      415,
    );
  });

  it("refuses a stranger with 401 and a shared-user write with 403", async () => {
    const user = await newUser();
    expectError(await upload(undefined, "HEART_RATE", csv([[DAY0, 70, 4]])), 401);
    const res = await upload(user.access, "HEART_RATE", csv([[DAY0, 70, 4]]), { "shared-user": user.id });
    expectError(res, 403);
    expect((await call("GET", "/v1/measurement/checkpoint", { token: user.access })).body).toEqual([]);
  });
});

describe("POST /v1/measurement/upload: the form, read as it streams", () => {
  const post = (token: string, body: BodyInit, boundary = "nwb") =>
    exports.default.fetch(
      new Request("http://localhost/v1/measurement/upload", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": `multipart/form-data; boundary=${boundary}` },
        body,
      }),
    );
  const part = (name: string, value: string, filename?: string) =>
    `--nwb\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ""}\r\n\r\n${value}\r\n`;

  it("takes the file before its type too (held until the type arrives)", async () => {
    const user = await newUser();
    const body = `${part("file", csv([[DAY0, 70, 4]]), "hr.csv")}${part("type", "HEART_RATE")}--nwb--\r\n`;
    const res = await post(user.access, body);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(expectSchema(UploadSummarySchema, await res.json())).toMatchObject({
      type: "HEART_RATE",
      samplesAccepted: 1,
    });
  });

  it("refuses two files, a file sent as a plain field and an unknown type after the file", async () => {
    const user = await newUser();
    const cases: [string, string][] = [
      [
        `${part("type", "HEART_RATE")}${part("file", "1754697600,70,4\n", "a.csv")}${part("file", "1754697601,70,4\n", "b.csv")}`,
        "one file",
      ],
      [`${part("type", "HEART_RATE")}${part("file", "1754697600,70,4\n")}`, "file part"],
      [`${part("file", "1754697600,70,4\n", "a.csv")}${part("type", "HEART_RATES")}`, "type"],
      [part("type", "HEART_RATE"), "file"],
    ];
    for (const [body, mention] of cases) {
      const res = await post(user.access, `${body}--nwb--\r\n`);
      const answer = (await res.json()) as { statusCode: number; message: string[] };
      expect(answer.statusCode, body).toBe(400);
      expect(answer.message.join(" ")).toContain(mention);
    }
    expect((await call("GET", "/v1/measurement/checkpoint", { token: user.access })).body).toEqual([]);
  });

  it("counts a body without a declared length and refuses it past 64 MB with 413", async () => {
    const user = await newUser();
    const encoder = new TextEncoder();
    const chunk = new Uint8Array(1024 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0)
          controller.enqueue(
            encoder.encode(
              `${part("type", "HEART_RATE")}--nwb\r\nContent-Disposition: form-data; name="padding"\r\n\r\n`,
            ),
          );
        if (sent++ < 66) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await post(user.access, body);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe("PAYLOAD_TOO_LARGE");
    expect((await call("GET", "/v1/measurement/checkpoint", { token: user.access })).body).toEqual([]);
  });
});

describe("body limits", () => {
  it("refuses an upload body over 64 MB with 413 and stores nothing", async () => {
    const user = await newUser();
    const res = await call("POST", "/v1/measurement/upload", {
      token: user.access,
      raw: new Uint8Array(64 * 1024 * 1024 + 1),
      contentType: "multipart/form-data; boundary=x",
    });
    expectError(res, 413, "PAYLOAD_TOO_LARGE");
    expect((await call("GET", "/v1/measurement/checkpoint", { token: user.access })).body).toEqual([]);
  });

  it("refuses a batch body over 4 MB with 413 and stores nothing", async () => {
    const user = await newUser();
    const values = Array.from({ length: 400_000 }, () => 70.123456789);
    const res = await call("POST", "/v1/measurement", {
      token: user.access,
      body: { type: "HEART_RATE", start: DAY0, values, quality: values.map(() => 4) },
    });
    expectError(res, 413, "PAYLOAD_TOO_LARGE");
    expect((await call("GET", "/v1/measurement/checkpoint", { token: user.access })).body).toEqual([]);
  });
});

describe("parseUpload row cap", () => {
  it("refuses an upload over the row cap with a 400 naming the cap", async () => {
    const { parseUpload } = await import("../../../src/measurements/ingest/csv-upload");
    const text = csv(heartRate(DAY0, 5000));
    await expect(parseUpload("HEART_RATE", new TextEncoder().encode(text), DAY0 + DAY, 1000)).rejects.toMatchObject({
      status: 400,
      messages: [expect.stringContaining("at most 1000 rows")],
    });
    const within = await parseUpload("HEART_RATE", new TextEncoder().encode(text), DAY0 + DAY, 5000);
    expect(within.stats.samples).toBe(5000);
  });
});
