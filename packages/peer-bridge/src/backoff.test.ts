import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.ts";

describe("Backoff", () => {
  it("doubles up to the cap, stays within [d/2, d], and starts over after reset", () => {
    const lows = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    expect(Array.from({ length: 6 }, () => lows.next())).toEqual([50, 100, 200, 400, 500, 500]);
    const highs = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
    expect(Array.from({ length: 5 }, () => highs.next())).toEqual([100, 200, 400, 800, 1000]);
    highs.reset();
    expect(highs.next()).toBe(100);
  });

  it("spreads waits with real randomness", () => {
    const waits = new Set(Array.from({ length: 20 }, () => new Backoff({ initialMs: 1000, maxMs: 1000 }).next()));
    expect(waits.size).toBeGreaterThan(1);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(500);
  });
});
