// Issue 4 figure: the cost of the share check on the hot path. The same GET /v1/measurement over the same data, by
// the owner (no header) and by a viewer with an accepted share (`shared-user`); target ratio ≤ 1.2.
import { curl, json, newUser, round, timeCurl } from "../lib.mjs";
import { heartRateCsv, zipFile } from "./measurements.mjs";

export const name = "sharing";

const DAY0 = 1_754_697_600;

export async function run({ base }) {
  const owner = await newUser(base, "owner");
  const viewer = await newUser(base, "viewer");
  const day = zipFile("share-day", heartRateCsv(DAY0, 86_400, 3));
  const up = await curl(`${base}/v1/measurement/upload`, {
    method: "POST",
    token: owner.access,
    form: { type: "HEART_RATE", file: `@${day.path}` },
  });
  if (up.status !== 201) throw new Error(`upload ${up.status}`);
  await json(base, "POST", "/v1/sharing/invite", {
    token: owner.access,
    body: { email: viewer.email, shareSince: "2025-01-01T00:00:00.000Z" },
  });
  const accepted = await json(base, "POST", "/v1/sharing/invite/accept", {
    token: viewer.access,
    body: { email: owner.email },
  });
  if (accepted.status !== 201) throw new Error(`accept ${accepted.status}`);

  const result = {};
  for (const [label, query] of [
    ["oneDay1Hz", "start_day=2025-08-09&end_day=2025-08-09"],
    ["emptyRange", "start_day=2025-07-01&end_day=2025-07-02"],
  ]) {
    const url = `${base}/v1/measurement?type=HEART_RATE&sort=ASC&${query}`;
    const own = await timeCurl(() => curl(url, { token: owner.access }), { runs: 40, warmup: 5 });
    const shared = await timeCurl(() => curl(url, { token: viewer.access, headers: { "shared-user": owner.id } }), {
      runs: 40,
      warmup: 5,
    });
    result[label] = {
      ownerMedianMs: round(own.median),
      sharedMedianMs: round(shared.median),
      ratio: round(shared.median / own.median),
      target: 1.2,
    };
  }
  return result;
}
