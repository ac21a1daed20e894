// Issue 11 figures: the ten statistic types over 31 days of 1 Hz data, median ≤ 300 ms from the cache and ≤ 2 s
// cold, each as a ratio to the floor: decoding the same raw chunks once inside the UserStore, nothing else.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { syntheticDays, toCsv } from "../../src/statistics/synthetic.ts";
import { STATISTIC_TYPES as TYPES } from "../../src/statistics/types.ts";
import { curl, newUser, round, timeCurl } from "../lib.mjs";

export const name = "statistics";

const START = "2026-10-01";
const END = "2026-10-31";
// What the statistics read of this data (the graph types only fill in for sparse heart rate or missing counts).
const READ_TYPES = "HEART_RATE,HEART_BEAT,RESTING_HEART_RATE,ACTIVITY_COUNT,ACTIVITY_CADENCE";
// The cold runs each ask in another zone: a new cache variant, so every value is computed again (the same work).
const COLD_ZONES = ["Etc/GMT-1", "Etc/GMT-2", "Etc/GMT-3", "Etc/GMT-4", "Etc/GMT-5", "Etc/GMT-6", "Etc/GMT-7"];

/** A timing as reported: median and p90, and its ratios to the target and to the floor. */
const figure = (t, targetMs, floor) => ({
  medianMs: round(t.median),
  p90Ms: round(t.p90),
  targetMs,
  ratioToTarget: round(t.median / targetMs),
  ratioToFloor: round(t.median / floor.median),
});

export async function run({ base }) {
  const user = await newUser(base, "statistics");
  // 31 days plus the 14 before them (the stress baseline and the regularity window read back).
  const data = syntheticDays({ startDay: "2026-09-17", days: 45, seed: 11 });
  let samples = 0;
  for (const [type, series] of Object.entries(data.series)) {
    // An upload holds at most 3 M rows: 45 days of 1 Hz data go in pieces of 2 M.
    for (let from = 0; from < series.seconds.length; from += 2_000_000) {
      const to = Math.min(series.seconds.length, from + 2_000_000);
      const piece = {
        seconds: series.seconds.subarray(from, to),
        values: series.values.subarray(from, to),
        quality: series.quality.subarray(from, to),
      };
      const path = join(tmpdir(), `nowatch-bench-stats-${type}-${process.pid}.zip`);
      writeFileSync(path, zipSync({ [`${type}.csv`]: strToU8(toCsv(type, piece)) }));
      const res = await curl(`${base}/v1/measurement/upload`, {
        method: "POST",
        token: user.access,
        form: { type, file: `@${path}` },
      });
      if (res.status !== 201)
        throw new Error(`upload ${type}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    samples += series.seconds.length;
  }
  const sessions = data.sessions.map((s) => ({
    start_datetime: s.startDatetime,
    end_datetime: s.endDatetime,
    type: s.type,
    info: { ...s.info, subjective_inputs: [] },
  }));
  const posted = await curl(`${base}/v1/activity`, {
    method: "POST",
    token: user.access,
    headers: { "content-type": "application/json" },
    data: JSON.stringify(sessions),
  });
  if (posted.status !== 201) throw new Error(`sessions: ${posted.status} ${JSON.stringify(posted.body).slice(0, 200)}`);

  const query = (zone) =>
    `${base}/v1/statistics?start_day=${START}&end_day=${END}&type=${TYPES.join(",")}&time_zone=${encodeURIComponent(zone)}`;
  let documents = 0;
  let enough = 0;
  const cold = await timeCurl(
    async (i) => {
      const res = await curl(query(COLD_ZONES[i]), { token: user.access });
      if (Array.isArray(res.body)) {
        documents = res.body.length;
        enough = res.body.filter((d) => d.enoughData).length;
      }
      return res;
    },
    { runs: 5, warmup: 1 },
  );
  const cached = await timeCurl(() => curl(query("UTC"), { token: user.access }), { runs: 20, warmup: 2 });
  const floor = await timeCurl(
    () => curl(`${base}/bench/statistics/floor?user=${user.id}&start=2026-09-16&end=2026-11-01&types=${READ_TYPES}`),
    { runs: 10, warmup: 2 },
  );
  return {
    uploadedSamples: samples,
    documents,
    documentsWithEnoughData: enough,
    cold: figure(cold, 2000, floor),
    cached: figure(cached, 300, floor),
    floorDecodeOnce: {
      medianMs: round(floor.median),
      note: `the chunks the statistics read (${READ_TYPES}) over the 45 days, each decoded once, in the UserStore`,
    },
  };
}
