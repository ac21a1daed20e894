import { describe, expect, it } from "vitest";
import { csvHeader } from "../../../src/exports/csv";
import { EXPORT_TYPES } from "../../../src/exports/types";
import { exportPath, fetchRaw, openArchive } from "../../fixtures/exports";
import { checkinItem, create, intentionItem } from "../../fixtures/records";
import { share } from "../../fixtures/sharing";
import { call, expectError, newUser, type TestUser } from "../../helpers";
import { csv, DAY, DAY0, daySamples, getDays, heartRate, isoDay, range, upload, zipped } from "../measurement/helpers";

/**
 * GET /v1/user/export (contract §3; docs/exports.md): the streamed archive of one's own data, its files, formats and
 * manifest, the CSV round trip through the upload, and the bad inputs.
 */

const DAYS = `start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0 + DAY)}`;

async function seed(user: TestUser) {
  // Two days of heart rate with a hole, decimals for respiration and temperature.
  const hr = [...heartRate(DAY0 + 3600, 600), ...heartRate(DAY0 + DAY + 7200, 300, 70)];
  expect((await upload(user.access, "HEART_RATE", zipped(csv(hr)))).status).toBe(201);
  const resp = Array.from(
    { length: 50 },
    (_, i) => [DAY0 + 60 * i, 12 + (i % 7) * 0.25, i % 5] as [number, number, number],
  );
  expect((await upload(user.access, "RESPIRATION_RATE", zipped(csv(resp)))).status).toBe(201);
  const temp = Array.from(
    { length: 20 },
    (_, i) => [DAY0 + DAY + 300 * i, 33.05 + i / 100, 4] as [number, number, number],
  );
  expect((await upload(user.access, "TEMPERATURE", zipped(csv(temp)))).status).toBe(201);
  await create(user, "/v1/intention", [
    intentionItem({ start_datetime: `${isoDay(DAY0)}T08:00:00Z`, end_datetime: `${isoDay(DAY0)}T08:10:00Z` }),
  ]);
  await create(user, "/v1/checkin", [checkinItem({ datetime: `${isoDay(DAY0 + DAY)}T10:30:00Z` })]);
}

describe("GET /v1/user/export: the archive", () => {
  it("streams a ZIP of every type, one upload-format CSV per measurement type, with a checked manifest", async () => {
    const user = await newUser("export-all");
    await seed(user);
    const res = await fetchRaw("GET", exportPath(DAYS), user.access);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="nowatch-export-${isoDay(DAY0)}-${isoDay(DAY0 + DAY)}.zip"`,
    );
    const archive = await openArchive(res.bytes);
    const { manifest } = archive;
    expect(manifest.format).toBe("nowatch-export");
    expect(manifest.exportedBy).toBe(user.id);
    expect(manifest.range).toEqual({
      startDay: isoDay(DAY0),
      endDay: isoDay(DAY0 + DAY),
      from: `${isoDay(DAY0)}T00:00:00.000Z`,
      to: `${isoDay(DAY0 + 2 * DAY)}T00:00:00.000Z`,
    });
    expect(manifest.types).toEqual(EXPORT_TYPES);
    expect(Date.parse(manifest.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
    const folder = `users/${user.id}/`;
    const hr = manifest.files.find((f) => f.path === `${folder}measurements/HEART_RATE.csv`);
    expect(hr).toMatchObject({ type: "TIMELINE_TIME-SERIES_HEART-RATE", records: 900, userId: user.id });
    expect(hr?.firstDatetime).toBe(new Date((DAY0 + 3600) * 1000).toISOString());
    expect(archive.text(`${folder}measurements/HEART_RATE.csv`).split("\n")[0]).toBe(
      "datetime,value,quality_indicator",
    );
    expect(archive.text(`${folder}measurements/MOTION_GRAPH.csv`)).toBe(
      new TextDecoder().decode(csvHeader("MOTION_GRAPH")),
    );
    const intentions = archive.json<{ type: number }[]>(`${folder}sessions.json`);
    expect(intentions).toHaveLength(1);
    expect(archive.json<unknown[]>(`${folder}checkins.json`)).toHaveLength(1);
    expect(archive.json(`${folder}day-feedback.json`)).toEqual([]);
    expect(archive.json<{ id: string; email: string }>(`${folder}profile.json`)).toMatchObject({
      id: user.id,
      email: user.email,
    });
    expect(archive.json(`${folder}settings.json`)).toMatchObject({ settings: {} });
    const statistics = archive.json<{ type: string; date: string }[]>(`${folder}statistics.json`);
    expect(statistics.length).toBe(20); // ten types on each of the two days
    expect(manifest.users).toEqual([
      expect.objectContaining({ userId: user.id, self: true, sharedSince: null, notShared: [] }),
    ]);
  });

  it("round trip: each exported CSV re-uploads to the same stored values, byte for byte", async () => {
    const owner = await newUser("export-rt-owner");
    await seed(owner);
    const archive = await openArchive(
      (await fetchRaw("GET", exportPath(`${DAYS}&types=HEART_RATE,RESPIRATION_RATE,TEMPERATURE`), owner.access)).bytes,
    );
    const copy = await newUser("export-rt-copy");
    for (const type of ["HEART_RATE", "RESPIRATION_RATE", "TEMPERATURE"]) {
      const text = archive.text(`users/${owner.id}/measurements/${type}.csv`);
      const stored = await upload(copy.access, type, zipped(text));
      expect(stored.status, stored.text).toBe(201);
      const path = range(type, DAY0, DAY0 + DAY);
      const before = await getDays(owner.access, path);
      const after = await getDays(copy.access, path);
      expect(after.map((d) => [d.day, d.count, d.values])).toEqual(before.map((d) => [d.day, d.count, d.values]));
    }
    expect(await daySamples(copy.access, range("TEMPERATURE", DAY0 + DAY, DAY0 + DAY))).toMatchObject({
      "0": [33.05, 4],
    });
  });

  it("types: only the named ones, by export name, data-type alias, repeated or comma-separated", async () => {
    const user = await newUser("export-types");
    await seed(user);
    for (const query of [
      "types=TIMELINE_TIME-SERIES_HEART-RATE&types=TIMELINE_CHECK-INS",
      "types=HEART_RATE,CHECKINS",
      "types=heart_rate&types[]=TIMELINE_CHECK-INS",
    ]) {
      const archive = await openArchive((await fetchRaw("GET", exportPath(`${DAYS}&${query}`), user.access)).bytes);
      expect(archive.manifest.types, query).toEqual(["TIMELINE_TIME-SERIES_HEART-RATE", "TIMELINE_CHECK-INS"]);
      expect(Object.keys(archive.files).sort(), query).toEqual(
        ["manifest.json", `users/${user.id}/checkins.json`, `users/${user.id}/measurements/HEART_RATE.csv`].sort(),
      );
    }
  });

  it("ndjson: one JSON line per sample and per record", async () => {
    const user = await newUser("export-ndjson");
    await seed(user);
    const archive = await openArchive(
      (await fetchRaw("GET", exportPath(`${DAYS}&types=HEART_RATE,SESSIONS&format=ndjson`), user.access)).bytes,
    );
    const lines = archive.text(`users/${user.id}/measurements/HEART_RATE.ndjson`).trimEnd().split("\n");
    expect(lines).toHaveLength(900);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      type: "HEART_RATE",
      datetime: DAY0 + 3600,
      value: 60,
      quality: 4,
    });
    const sessions = archive.text(`users/${user.id}/sessions.ndjson`).trimEnd().split("\n");
    expect(sessions.map((line) => JSON.parse(line).type)).toEqual([0]);
  });

  it("fhir: an R4 Bundle with the Patient and LOINC-coded Observations", async () => {
    const user = await newUser("export-fhir");
    await seed(user);
    const archive = await openArchive(
      (
        await fetchRaw(
          "GET",
          exportPath(`${DAYS}&types=HEART_RATE,RESPIRATION_RATE,TEMPERATURE&format=FHIR`),
          user.access,
        )
      ).bytes,
    );
    // biome-ignore lint/suspicious/noExplicitAny: the resources are walked field by field below
    const bundle = archive.json<{ resourceType: string; type: string; entry: { resource: Record<string, any> }[] }>(
      `users/${user.id}/fhir/observations.json`,
    );
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "collection" });
    const resources = bundle.entry.map((e) => e.resource);
    expect(resources[0]).toMatchObject({
      resourceType: "Patient",
      identifier: [expect.objectContaining({ value: user.id })],
    });
    const codes = new Set(
      resources.flatMap((r) =>
        (r.code?.coding ?? [])
          .filter((c: { system: string }) => c.system === "http://loinc.org")
          .map((c: { code: string }) => c.code),
      ),
    );
    expect([...codes].sort()).toEqual(["8310-5", "8867-4", "9279-1"]);
    const hr = resources.filter(
      (r) => r.resourceType === "Observation" && r.code.coding.some((c: { code: string }) => c.code === "8867-4"),
    );
    expect(hr.length).toBeGreaterThan(0);
    expect(hr[0]?.valueSampledData).toMatchObject({ period: 1000, dimensions: 1, origin: { code: "/min" } });
  });

  it("an empty range still answers a valid archive with empty files", async () => {
    const user = await newUser("export-empty");
    const archive = await openArchive(
      (
        await fetchRaw(
          "GET",
          exportPath("start_day=2020-01-01&end_day=2020-01-01&types=HEART_RATE,INSIGHTS"),
          user.access,
        )
      ).bytes,
    );
    expect(archive.manifest.files.map((f) => [f.path.split("/").pop(), f.records])).toEqual([
      ["HEART_RATE.csv", 0],
      ["insights.json", 0],
    ]);
  });
});

describe("GET /v1/user/export: bad input", () => {
  it.each([
    ["no start_day", `end_day=${isoDay(DAY0)}`, "start_day"],
    ["a bad day", `start_day=2025-02-30&end_day=${isoDay(DAY0)}`, "start_day"],
    ["start after end", `start_day=${isoDay(DAY0 + DAY)}&end_day=${isoDay(DAY0)}`, "start_day"],
    ["367 days", "start_day=2024-01-01&end_day=2025-01-01", "366"],
    ["an unknown type", `${DAYS}&types=HEART_RATE,STEPS`, "STEPS"],
    ["an unknown format", `${DAYS}&format=xml`, "format"],
    ["too many users", `${DAYS}&encryptedUserIds=${Array.from({ length: 21 }, (_, i) => `uid_${i}`).join(",")}`, "20"],
  ])("%s: 400 in the error body", async (_name, query, mention) => {
    const user = await newUser("export-bad");
    const res = await call("GET", exportPath(query), { token: user.access });
    expectError(res, 400);
    expect((res.body as { message: string[] }).message.join(" ")).toContain(mention);
  });

  it("401 without a token", async () => {
    expectError(await call("GET", exportPath(DAYS)), 401);
  });

  it("the contract's example id, a stranger's id and an unknown id: the same 403", async () => {
    const [user, stranger] = [await newUser("export-403"), await newUser("export-stranger")];
    const bodies = [];
    for (const id of ["encrypted_user_id_1", stranger.id, "uid_00000000000000000000000000000000"]) {
      const res = await call("GET", exportPath(`${DAYS}&encryptedUserIds=${id}`), { token: user.access });
      expectError(res, 403);
      bodies.push((res.body as { message: string[] }).message);
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  });

  it("one unpermitted id among permitted ones refuses the whole request", async () => {
    const [viewer, owner, stranger] = [
      await newUser("export-mix-v"),
      await newUser("export-mix-o"),
      await newUser("export-mix-s"),
    ];
    await share(owner, viewer);
    const ok = await fetchRaw("GET", exportPath(`${DAYS}&encryptedUserIds=${owner.id}`), viewer.access);
    expect(ok.status).toBe(200);
    const res = await call("GET", exportPath(`${DAYS}&encryptedUserIds=${owner.id}&encryptedUserIds=${stranger.id}`), {
      token: viewer.access,
    });
    expectError(res, 403);
  });
});
