import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DedupWindow } from "./dedup-window.ts";

describe("DedupWindow", () => {
  it("recognises repeats and forgets the oldest beyond capacity", () => {
    const w = new DedupWindow<string>(2);
    expect(w.remember("a", "1")).toBe(true);
    expect(w.remember("a", "2")).toBe(false);
    expect(w.get("a")).toBe("1");
    w.remember("b", "1");
    w.remember("c", "1");
    expect(w.has("a")).toBe(false);
    expect(w.has("c")).toBe(true);
    expect(w.size).toBe(2);
  });

  it("set gives a remembered id a new value and keeps its place; an unknown id is remembered", () => {
    const w = new DedupWindow<string>(2);
    w.remember("a", "pending");
    w.remember("b", "pending");
    w.set("a", "stored");
    expect(w.get("a")).toBe("stored");
    w.set("c", "stored");
    // "a" was remembered first: it goes first, its new value notwithstanding.
    expect(w.has("a")).toBe(false);
    expect(w.get("b")).toBe("pending");
    expect(w.get("c")).toBe("stored");
  });

  it("refuses a capacity that cannot hold an id", () => {
    expect(() => new DedupWindow(0)).toThrow(RangeError);
    expect(() => new DedupWindow(1.5)).toThrow(RangeError);
  });

  it("property: holds exactly the last `capacity` distinct ids, with their latest values, however often it wraps", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 12 }), fc.integer()), { maxLength: 120 }),
        (capacity, ops) => {
          const w = new DedupWindow<number>(capacity);
          // The model: ids in the order first remembered, and their values.
          const order: string[] = [];
          const values = new Map<string, number>();
          for (const [isSet, n, value] of ops) {
            const id = `id${n}`;
            const known = values.has(id);
            if (isSet) w.set(id, value);
            else expect(w.remember(id, value)).toBe(!known);
            if (!known) {
              order.push(id);
              values.set(id, value);
              if (order.length > capacity) values.delete(order.shift() as string);
            } else if (isSet) values.set(id, value);
          }
          expect(w.size).toBe(values.size);
          for (let n = 0; n <= 12; n++) expect(w.get(`id${n}`)).toBe(values.get(`id${n}`));
        },
      ),
    );
  });
});
