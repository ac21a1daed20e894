import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  isTimeZone,
  localDate,
  localMidnight,
  localTime,
  monthStart,
  weekStart,
} from "../../src/statistics/local-days";

const iso = (t: number) => new Date(t * 1000).toISOString();

describe("local days", () => {
  it("knows IANA zones and refuses the rest", () => {
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });

  it("finds local midnights, across daylight-saving changes (23- and 25-hour days)", () => {
    expect(iso(localMidnight("2025-08-09", "Europe/Paris"))).toBe("2025-08-08T22:00:00.000Z");
    expect(iso(localMidnight("2025-03-30", "Europe/Paris"))).toBe("2025-03-29T23:00:00.000Z");
    expect(localMidnight("2025-03-31", "Europe/Paris") - localMidnight("2025-03-30", "Europe/Paris")).toBe(23 * 3600);
    expect(localMidnight("2025-10-27", "Europe/Paris") - localMidnight("2025-10-26", "Europe/Paris")).toBe(25 * 3600);
    expect(iso(localTime("2025-08-09", 18, "America/New_York"))).toBe("2025-08-09T22:00:00.000Z");
    expect(iso(localMidnight("2025-08-09", "Asia/Kathmandu"))).toBe("2025-08-08T18:15:00.000Z");
  });

  it("tells the local date of an instant", () => {
    expect(localDate(Date.parse("2025-08-08T22:30:00Z") / 1000, "Europe/Paris")).toBe("2025-08-09");
    expect(localDate(Date.parse("2025-08-08T22:30:00Z") / 1000, "UTC")).toBe("2025-08-08");
  });

  it("counts days, weeks (Monday first) and months", () => {
    expect(addDays("2025-02-28", 1)).toBe("2025-03-01");
    expect(daysBetween("2025-12-30", "2026-01-02")).toEqual(["2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02"]);
    expect(weekStart("2025-08-10")).toBe("2025-08-04");
    expect(weekStart("2025-08-11")).toBe("2025-08-11");
    expect(monthStart("2025-08-31")).toBe("2025-08-01");
  });
});
