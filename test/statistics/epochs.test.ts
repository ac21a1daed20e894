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
  it("averages heart rate per 30-s epoch, NaN where nothing was measured, graph only where heart rate is missing", () => {
    const table = buildEpochs({
      start: T0,
      end: T0 + 120,
      series: {
        HEART_RATE: series([
          [T0, 60],
          [T0 + 10, 70],
          [T0 + 35, 80],
        ]),
        HEART_RATE_GRAPH: series([
          [T0 + 5, 99],
          [T0 + 95, 55],
        ]),
      },
      sessions: [],
    });
    expect(table.length).toBe(4);
    expect(Array.from(table.heartRate.subarray(0, 2))).toEqual([65, 80]);
    expect(Number.isNaN(table.heartRate[2] as number)).toBe(true);
    expect(table.heartRate[3]).toBe(55);
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

  it("uses MOTION_GRAPH when there are no counts", () => {
    const table = buildEpochs({
      start: T0,
      end: T0 + 60,
      series: {
        MOTION_GRAPH: series([
          [T0, 3],
          [T0 + 20, 5],
        ]),
      },
      sessions: [],
    });
    expect(table.activitySource).toBe("MOTION_GRAPH");
    expect(table.activity[0]).toBe(4);
    expect(Number.isNaN(table.activity[1] as number)).toBe(true);
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
