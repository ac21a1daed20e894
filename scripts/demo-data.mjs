// Plausible 1 Hz demo data for every measurement type, deterministic for a given start day. Used by `npm run dev`
// to fill the local demo account (demo@nowatch.local) through the real upload API.

const DAY = 86_400;

function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** A day of one person: asleep 23:00-07:00 (UTC), a morning and an evening walk, an afternoon run on some days. */
function activityAt(secondOfDay, dayIndex) {
  const h = secondOfDay / 3600;
  if (h < 7 || h >= 23) return "sleep";
  if ((h >= 8 && h < 8.5) || (h >= 18 && h < 18.75)) return "walk";
  if (dayIndex % 2 === 0 && h >= 17 && h < 17.5) return "run";
  return "rest";
}

const CODES = { sleep: 0, rest: 0, walk: 1, run: 2 };

/** Rows `[datetime, value, quality]` for `days` days from `startDay` (Unix seconds of a UTC midnight). */
export function demoRows(type, startDay, days) {
  const rand = prng(startDay ^ (type.length * 7919));
  const rows = [];
  let hr = 62;
  let temp = 34.2;
  for (let d = 0; d < days; d++) {
    const resting = 55 + Math.round(rand() * 4);
    for (let s = 0; s < DAY; s++) {
      const t = startDay + d * DAY + s;
      const act = activityAt(s, d);
      const target = { sleep: resting - 3, rest: resting + 12, walk: 95, run: 145 }[act];
      hr += (target - hr) * 0.02 + (rand() - 0.5) * 2;
      temp += ((act === "sleep" ? 35.1 : 33.8) - temp) * 0.001 + (rand() - 0.5) * 0.01;
      const quality = act === "run" && rand() < 0.3 ? 2 : rand() < 0.05 ? 3 : 4;
      const moving = act === "walk" || act === "run";
      switch (type) {
        case "HEART_RATE":
          rows.push([t, Math.round(hr), quality]);
          break;
        case "HEART_RATE_GRAPH":
          rows.push([t, Math.round(hr)]);
          break;
        case "HEART_BEAT":
          rows.push([t, Math.round(60_000 / hr + (rand() - 0.5) * 40), 4]);
          break;
        case "RESTING_HEART_RATE":
          rows.push([t, resting, 4]);
          break;
        case "RESPIRATION_RATE":
          rows.push([
            t,
            Math.round((act === "sleep" ? 13 : moving ? 22 : 16) * 10 + (rand() - 0.5) * 20) / 10,
            quality,
          ]);
          break;
        case "TEMPERATURE":
          rows.push([t, Math.round(temp * 100) / 100, quality]);
          break;
        case "ACTIVITY_COUNT":
          rows.push([t, moving ? (act === "run" ? 3 : 2) - (rand() < 0.3 ? 1 : 0) : 0, 4]);
          break;
        case "ACTIVITY_TYPE":
          rows.push([t, CODES[act], 4]);
          break;
        case "ACTIVITY_CADENCE":
          rows.push([t, moving ? Math.round((act === "run" ? 165 : 108) + (rand() - 0.5) * 8) : 0, 4]);
          break;
        case "MOTION_GRAPH":
          rows.push([t, Math.round((act === "sleep" ? 2 : moving ? 400 : 40) * (0.5 + rand())), 4].slice(0, 2));
          break;
        default:
          throw new Error(`unknown type ${type}`);
      }
    }
  }
  return rows;
}

export function toCsv(rows) {
  const header = rows[0]?.length === 2 ? "datetime,value" : "datetime,value,quality_indicator";
  return `${header}\n${rows.map((r) => r.join(",")).join("\n")}\n`;
}
