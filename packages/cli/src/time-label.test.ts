import { describe, expect, it } from "vitest";
import { timeLabel } from "./time-label.ts";

describe("timeLabel", () => {
  it("shows the time alone for today, the date too for other days, the year for other years", () => {
    const now = new Date(2026, 10, 25, 15, 0).getTime();
    expect(timeLabel(new Date(2026, 10, 25, 9, 41).getTime(), now)).toBe("09:41");
    expect(timeLabel(new Date(2026, 10, 24, 23, 5).getTime(), now)).toBe("Nov 24 23:05");
    expect(timeLabel(new Date(2025, 0, 2, 7, 0).getTime(), now)).toBe("Jan 2 2025 07:00");
    expect(timeLabel(0, now)).toBe("--:--");
  });
});
