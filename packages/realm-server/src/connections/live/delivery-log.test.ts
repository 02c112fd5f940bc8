import { describe, expect, it } from "vitest";
import { DELIVERY_LOG_ENTRIES, DeliveryLog } from "./delivery-log.ts";

describe("DeliveryLog", () => {
  it("takes what was handed up to an id: the held ids, and the last stored one", () => {
    const log = new DeliveryLog();
    log.handed("s1", false);
    log.handed("h1", true);
    log.handed("s2", false);
    log.handed("h2", true);
    log.handed("h3", true);
    expect(log.take("h2")).toEqual({ held: ["h1", "h2"], lastStored: "s2" });
    expect(log.take("h2")).toBeUndefined();
    expect(log.size).toBe(1);
    expect(log.take("h3")).toEqual({ held: ["h3"], lastStored: undefined });
    expect(log.size).toBe(0);
    expect(log.take("unknown")).toBeUndefined();
  });

  it("is bounded: past its size the oldest entries are forgotten", () => {
    const log = new DeliveryLog();
    for (let i = 0; i < DELIVERY_LOG_ENTRIES * 3; i++) log.handed(`m${i}`, true);
    expect(log.size).toBe(DELIVERY_LOG_ENTRIES);
    expect(log.take(`m${DELIVERY_LOG_ENTRIES * 2 - 1}`)).toBeUndefined();
    const last = `m${DELIVERY_LOG_ENTRIES * 3 - 1}`;
    expect(log.take(last)?.held).toHaveLength(DELIVERY_LOG_ENTRIES);
  });
});
