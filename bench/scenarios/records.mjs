// Issue 5 figures: a batch POST of 1,000 sessions, and GET of a year of sessions (~5,000), median < 100 ms each.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { curl, newUser, round, timeCurl } from "../lib.mjs";

export const name = "records";

const YEAR_START = Date.parse("2025-01-01T00:00:00Z");
const HOUR = 3_600_000;

/** `count` plausible sessions spread over a year from `offset`: activities with a name, and intentions with inputs. */
function sessions(count, offset = 0) {
  return Array.from({ length: count }, (_, i) => {
    const start = YEAR_START + ((i + offset) * 365 * 24 * HOUR) / 5_000 + 7 * HOUR;
    const intention = i % 4 === 0;
    return {
      start_datetime: new Date(start).toISOString(),
      end_datetime: new Date(start + 45 * 60_000).toISOString(),
      type: intention ? 0 : 1 + (i % 30),
      info: intention
        ? {
            name: "Morning intention",
            note: "Stay calm in meetings",
            origin: 1,
            subjective_inputs: [{ datetime: new Date(start).toISOString(), type: 0, value: 3, tag: 2, note: "ok" }],
          }
        : { name: "Early afternoon cycle", note: "", origin: 1, subjective_inputs: [] },
    };
  });
}

function bodyFile(name, value) {
  const path = join(tmpdir(), `nowatch-bench-${name}-${process.pid}.json`);
  writeFileSync(path, JSON.stringify(value));
  return `@${path}`;
}

export async function run({ base }) {
  // 1. Batch POST of 1,000 sessions (each run a new user's empty store would measure object creation: one user).
  const writer = await newUser(base, "sessions");
  const batches = Array.from({ length: 23 }, (_, k) => bodyFile(`batch-${k}`, sessions(1000, k * 1000)));
  const post = await timeCurl(
    (i) =>
      curl(`${base}/v1/session`, {
        method: "POST",
        token: writer.access,
        headers: { "content-type": "application/json" },
        data: batches[i],
      }),
    { runs: 20, warmup: 3 },
  );

  // 2. GET a year of sessions: a user holding 5,000 over 2025.
  const reader = await newUser(base, "year");
  for (let k = 0; k < 5; k++) {
    const res = await curl(`${base}/v1/session`, {
      method: "POST",
      token: reader.access,
      headers: { "content-type": "application/json" },
      data: bodyFile(`year-${k}`, sessions(1000, k * 1000)),
    });
    if (res.status !== 201) throw new Error(`seed ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
  }
  let returned = 0;
  const get = await timeCurl(
    async () => {
      const res = await curl(`${base}/v1/session?start_date=2025-01-01&end_date=2025-12-31`, { token: reader.access });
      returned = Array.isArray(res.body) ? res.body.length : 0;
      return res;
    },
    { runs: 20, warmup: 3 },
  );
  return {
    postThousandSessions: {
      medianMs: round(post.median),
      p90Ms: round(post.p90),
      targetMs: 100,
      ratioToTarget: round(post.median / 100),
    },
    getYearOfSessions: {
      sessions: returned,
      medianMs: round(get.median),
      p90Ms: round(get.p90),
      targetMs: 100,
      ratioToTarget: round(get.median / 100),
    },
  };
}
