import { describe, expect, it } from "vitest";
import { earliestClaim, precedes } from "./group-precedence.ts";

describe("group precedence", () => {
  it("the earliest creation wins; equal times go to the realm whose name sorts first", () => {
    expect(precedes({ home: "realm2", created: 5 }, { home: "realm1", created: 6 })).toBe(true);
    expect(precedes({ home: "realm1", created: 6 }, { home: "realm2", created: 5 })).toBe(false);
    expect(precedes({ home: "realm1", created: 5 }, { home: "realm2", created: 5 })).toBe(true);
    expect(precedes({ home: "realm2", created: 5 }, { home: "realm1", created: 5 })).toBe(false);
    expect(precedes({ home: "realm1", created: 5 }, { home: "realm1", created: 5 })).toBe(false);
  });

  it("every order of the same claims picks the same winner", () => {
    const claims = [
      { home: "realm3", created: 10 },
      { home: "realm1", created: 11 },
      { home: "realm2", created: 10 },
    ];
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const order of orders) expect(earliestClaim(order.map((i) => claims[i]!))).toEqual({ home: "realm2", created: 10 });
    expect(earliestClaim([])).toBeUndefined();
  });
});
