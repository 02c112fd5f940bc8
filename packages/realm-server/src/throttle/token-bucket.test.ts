import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket.ts";

describe("TokenBucket", () => {
  it("grants a burst at once, then spaces further takes at the rate", () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(100);
    expect(bucket.take(0)).toBe(200);
    expect(bucket.take(1000)).toBe(0);
    expect(bucket.isFull(1000)).toBe(false);
    expect(bucket.isFull(2000)).toBe(true);
  });
});
