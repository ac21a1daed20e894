import { describe, expect, it } from "vitest";
import { buildEpochs, EPOCH_SECONDS, joinEpochs, type SeriesInput, sliceEpochs } from "../../src/statistics/epochs";

const T0 = 1_754_697_600; // 2025-08-09T00:00:00Z

function series(points: [number, number][], quality = 4): SeriesInput {
  return {
    seconds: points.map(([t]) => t),
    values: points.map(([, v]) => v),
    quality: points.map(() => quality),
  };
}

describe("buildEpochs", () => {
  it("averages heart rate per 30-s epoch, the graph only where heart rate is missing, NaN where nothing covers", () => {
    const table = buildEpochs({
      start: T0,
      end: T0 + 180,
      series: {
        HEART_RATE: series([
          [T0, 60],
          [T0 + 10, 70],
          [T0 + 35, 80],
        ]),
        HEART_RATE_GRAPH: series([
          [T0 + 5, 99],
          [T0 + 155, 55],
        ]),
      },
      sessions: [],
    });
    expect(table.length).toBe(6);
    // The graph's point at T0 + 5 stands for a minute (the most a sample covers): it reaches into epoch 2.
    expect(Array.from(table.heartRate).map((v) => (Number.isNaN(v) ? null : v))).toEqual([65, 80, 99, null, null, 55]);
  });

  it("fills every epoch from heart rate sent once a minute, each epoch with the reading that covers it", () => {
    const points: [number, number][] = [];
    for (let m = 0; m < 10; m++) points.push([T0 + 60 * m, 60 + m]);
    for (let m = 15; m < 20; m++) points.push([T0 + 60 * m, 60 + m]); // the watch was off 10:00-15:00 (minutes)
    const table = buildEpochs({ start: T0, end: T0 + 1200, series: { HEART_RATE: series(points) }, sessions: [] });
    const got = Array.from(table.heartRate).map((v) => (Number.isNaN(v) ? null : v));
    const want: (number | null)[] = [];
    for (let m = 0; m < 20; m++) want.push(...(m >= 10 && m < 15 ? [null, null] : [60 + m, 60 + m]));
    expect(got).toEqual(want);
  });

  it("keeps each epoch's own samples when heart rate comes every few seconds, with jitter", () => {
    const points: [number, number][] = [];
    const jitter = [0, 2, -2, 1, -1, 2];
    for (let k = 1; k < 36; k++) points.push([T0 + 5 * k + (jitter[k % 6] as number), k < 18 ? 70 : 80]);
    const table = buildEpochs({ start: T0, end: T0 + 180, series: { HEART_RATE: series(points) }, sessions: [] });
    for (let i = 0; i < table.length; i++) {
      const own = points.filter(([t]) => Math.floor((t - T0) / EPOCH_SECONDS) === i).map(([, v]) => v);
      expect(table.heartRate[i], `epoch ${i}`).toBeCloseTo(own.reduce((a, b) => a + b, 0) / own.length, 5);
    }
  });

  it("leaves the minute of a reading of quality 0 empty: the reading before does not reach past it", () => {
    const points: [number, number][] = [0, 1, 2, 3].map((m) => [T0 + 60 * m, 70 + m]);
    const table = buildEpochs({
      start: T0,
      end: T0 + 240,
      series: {
        HEART_RATE: {
          seconds: points.map(([t]) => t),
          values: points.map(([, v]) => v),
          quality: [4, 4, 0, 4],
        },
      },
      sessions: [],
    });
    expect(Array.from(table.heartRate).map((v) => (Number.isNaN(v) ? null : v))).toEqual([
      70,
      70,
      71,
      71,
      null,
      null,
      73,
      73,
    ]);
  });

  it("ignores samples of quality 0", () => {
    const table = buildEpochs({
      start: T0,
      end: T0 + 30,
      series: { HEART_RATE: series([[T0, 60]], 0) },
      sessions: [],
    });
    expect(Number.isNaN(table.heartRate[0] as number)).toBe(true);
  });

  it.each([1, 30, 60])("spreads activity counts sent every %i s so that epochs compare", (every) => {
    const points: [number, number][] = [];
    for (let t = 0; t < 600; t += every) points.push([T0 + t, 2 * every]); // 2 counts per second throughout
    const table = buildEpochs({ start: T0, end: T0 + 600, series: { ACTIVITY_COUNT: series(points) }, sessions: [] });
    expect(table.activitySource).toBe("ACTIVITY_COUNT");
    for (let i = 0; i < table.length; i++) expect(table.activity[i]).toBeCloseTo(2 * EPOCH_SECONDS, 5);
  });

  it("uses MOTION_GRAPH when there are no counts, a point standing for the interval to the next", () => {
    const table = buildEpochs({
      start: T0,
      end: T0 + 120,
      series: {
        MOTION_GRAPH: series([
          [T0, 3],
          [T0 + 20, 5],
        ]),
      },
      sessions: [],
    });
    expect(table.activitySource).toBe("MOTION_GRAPH");
    // The points are 20 s apart: the one at T0 + 20 covers [T0 + 20, T0 + 40), so epoch 1 too; nothing covers 2 and 3.
    expect(Array.from(table.activity).map((v) => (Number.isNaN(v) ? null : v))).toEqual([4, 5, null, null]);
  });

  it("fills both epochs of each minute from MOTION_GRAPH sent once a minute", () => {
    const points: [number, number][] = [0, 1, 2, 3, 4].map((m) => [T0 + 60 * m, 0.5 * m]);
    const table = buildEpochs({ start: T0, end: T0 + 300, series: { MOTION_GRAPH: series(points) }, sessions: [] });
    expect(Array.from(table.activity)).toEqual([0, 0, 0.5, 0.5, 1, 1, 1.5, 1.5, 2, 2]);
  });

  it("sums squared successive RR differences over clean successive beats only", () => {
    // Beats 1 s apart: 1000, 1020 (diff 20), 1010 (diff −10), an artefact 2500 (dropped, breaks the chain), 1000, 990 (diff −10).
    const rr: [number, number][] = [
      [T0 + 1, 1000],
      [T0 + 2, 1020],
      [T0 + 3, 1010],
      [T0 + 4, 2500],
      [T0 + 5, 1000],
      [T0 + 6, 990],
    ];
    const table = buildEpochs({ start: T0, end: T0 + 30, series: { HEART_BEAT: series(rr) }, sessions: [] });
    expect(table.rrDiffCount[0]).toBe(3);
    expect(table.rrSquaredDiffSum[0]).toBe(400 + 100 + 100);
    expect(table.rrMean[0]).toBeCloseTo((1000 + 1020 + 1010 + 1000 + 990) / 5, 3);
  });

  it("marks workout epochs from activity sessions, not intentions, ongoing ones to the window's end", () => {
    const table = buildEpochs({
      start: T0,
      end: T0 + 300,
      series: {},
      sessions: [
        { start: T0 + 30, end: T0 + 90, type: 12 },
        { start: T0 + 120, end: T0 + 200, type: 0 },
        { start: T0 + 240, end: null, type: 3 },
      ],
    });
    expect(Array.from(table.workout)).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 1, 1]);
  });

  it("slices a window as views", () => {
    const table = buildEpochs({
      start: T0,
      end: T0 + 300,
      series: { HEART_RATE: series([[T0 + 65, 70]]) },
      sessions: [],
    });
    const slice = sliceEpochs(table, 2, 3);
    expect(slice.start).toBe(T0 + 60);
    expect(slice.length).toBe(3);
    expect(slice.heartRate[0]).toBe(70);
  });
});

describe("joinEpochs", () => {
  it("joins the tail of one table to the head of the next, and refuses tables that do not meet", () => {
    const a = buildEpochs({ start: T0, end: T0 + 120, series: { HEART_RATE: series([[T0 + 95, 61]]) }, sessions: [] });
    const b = buildEpochs({
      start: T0 + 120,
      end: T0 + 240,
      series: { HEART_RATE: series([[T0 + 125, 62]]) },
      sessions: [],
    });
    const joined = joinEpochs(a, 2, b, 3);
    expect(joined?.start).toBe(T0 + 60);
    expect(joined?.length).toBe(5);
    expect(Array.from(joined?.heartRate ?? []).map((v) => (Number.isNaN(v) ? null : v))).toEqual([
      null,
      61,
      62,
      null,
      null,
    ]);
    expect(joinEpochs(b, 0, a, 1)).toBeNull();
  });
});
