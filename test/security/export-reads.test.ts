import { describe, expect, it } from "vitest";
import { AccessLogPageSchema } from "../../src/routes/sharing/access-log";
import { exportPath, fetchRaw, openArchive } from "../fixtures/exports";
import { checkinItem, create } from "../fixtures/records";
import { share } from "../fixtures/sharing";
import { call, expectSchema, newUser, type TestUser } from "../helpers";
import { csv, DAY, DAY0, heartRate, isoDay, upload, zipped } from "../routes/measurement/helpers";

/**
 * Exports of data shared with the caller (docs/exports.md "Who and what"): each `encryptedUserIds` user through the
 * one read policy, cut at `sharedSince` and the share's types, and every such read in the owner's access log.
 */

const DAYS = `start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0 + DAY)}`;
/** Noon of the second day: the share starts there. */
const SINCE = new Date((DAY0 + DAY + 12 * 3600) * 1000).toISOString();

async function owned(owner: TestUser) {
  const hr = [...heartRate(DAY0 + 3600, 100), ...heartRate(DAY0 + DAY + 11 * 3600, 7200)];
  expect((await upload(owner.access, "HEART_RATE", zipped(csv(hr)))).status).toBe(201);
  await create(owner, "/v1/checkin", [
    checkinItem({ datetime: `${isoDay(DAY0)}T10:30:00Z` }),
    checkinItem({ datetime: `${isoDay(DAY0 + DAY)}T18:30:00Z` }),
  ]);
}

const accessLog = async (owner: TestUser) => {
  const res = await call("GET", "/v1/sharing/access-log", { token: owner.access });
  expect(res.status, res.text).toBe(200);
  return expectSchema(AccessLogPageSchema, res.body).entries;
};

describe("exports of shared data", () => {
  it("the owner's folder holds only the share's types, from sharedSince on; the rest is listed as not shared", async () => {
    const [viewer, owner] = [await newUser("exp-share-v"), await newUser("exp-share-o")];
    await owned(owner);
    await share(owner, viewer, { shareSince: SINCE, types: ["HEART_RATE", "CHECKINS"] });
    const res = await fetchRaw(
      "GET",
      exportPath(`${DAYS}&types=HEART_RATE,CHECKINS,TEMPERATURE,SESSIONS&encryptedUserIds=${owner.id}`),
      viewer.access,
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const archive = await openArchive(res.bytes);
    const theirs = archive.manifest.users.find((u) => u.userId === owner.id);
    expect(theirs).toMatchObject({
      self: false,
      types: ["TIMELINE_TIME-SERIES_HEART-RATE", "TIMELINE_CHECK-INS"],
      notShared: ["TIMELINE_TIME-SERIES_TEMPERATURE", "TIMELINE_SESSIONS"],
      from: SINCE,
    });
    const rows = archive.text(`users/${owner.id}/measurements/HEART_RATE.csv`).trimEnd().split("\n").slice(1);
    const since = Date.parse(SINCE) / 1000;
    expect(rows).toHaveLength(3600); // 12:00:00..12:59:59 of day two; everything before noon is cut
    expect(rows.every((row) => Number(row.split(",")[0]) >= since)).toBe(true);
    const checkins = archive.json<{ datetime: string }[]>(`users/${owner.id}/checkins.json`);
    expect(checkins.map((c) => c.datetime)).toEqual([`${isoDay(DAY0 + DAY)}T18:30:00.000Z`]);
    expect(
      Object.keys(archive.files)
        .filter((p) => p.startsWith(`users/${owner.id}/`))
        .sort(),
    ).toEqual([`users/${owner.id}/checkins.json`, `users/${owner.id}/measurements/HEART_RATE.csv`].sort());
    // The caller's own folder holds every requested type.
    expect(archive.manifest.users[0]).toMatchObject({ userId: viewer.id, self: true, notShared: [] });
  });

  it("each shared type read is one entry in the owner's access log, cut at sharedSince", async () => {
    const [viewer, owner] = [await newUser("exp-log-v"), await newUser("exp-log-o")];
    await owned(owner);
    await share(owner, viewer, { shareSince: SINCE, types: ["HEART_RATE", "CHECKINS"] });
    expect(
      (
        await fetchRaw(
          "GET",
          exportPath(`${DAYS}&types=HEART_RATE,CHECKINS&encryptedUserIds=${owner.id}`),
          viewer.access,
        )
      ).status,
    ).toBe(200);
    const entries = await accessLog(owner);
    expect(entries.map((e) => [e.dataType, e.path, e.rangeStart, e.rangeEnd]).sort()).toEqual([
      ["CHECKINS", "/v1/user/export", SINCE, isoDay(DAY0 + DAY)],
      ["HEART_RATE", "/v1/user/export", SINCE, isoDay(DAY0 + DAY)],
    ]);
    // The viewer's own data is no one's shared read.
    expect(await accessLog(viewer)).toEqual([]);
  });

  it("a share of none of the requested types refuses with 403, as for a stranger", async () => {
    const [viewer, owner] = [await newUser("exp-none-v"), await newUser("exp-none-o")];
    await share(owner, viewer, { types: ["TEMPERATURE"] });
    const res = await call("GET", exportPath(`${DAYS}&types=HEART_RATE&encryptedUserIds=${owner.id}`), {
      token: viewer.access,
    });
    expect(res.status, res.text).toBe(403);
    expect(await accessLog(owner)).toEqual([]);
  });

  it("the viewer gets the owner's card, never the owner's settings or account", async () => {
    const [viewer, owner] = [await newUser("exp-card-v"), await newUser("exp-card-o")];
    await share(owner, viewer);
    const archive = await openArchive(
      (await fetchRaw("GET", exportPath(`${DAYS}&types=PROFILE&encryptedUserIds=${owner.id}`), viewer.access)).bytes,
    );
    expect(archive.json(`users/${owner.id}/profile.json`)).toMatchObject({ fromId: owner.id, toId: viewer.id });
    expect(archive.files[`users/${owner.id}/settings.json`]).toBeUndefined();
  });
});
