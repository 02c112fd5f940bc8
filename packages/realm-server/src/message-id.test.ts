import { setTimeout as sleep } from "node:timers/promises";
import { validate, version } from "uuid";
import { describe, expect, it } from "vitest";
import { newMessageId, messageIdFor } from "./message-id.ts";

describe("newMessageId", () => {
  it("makes distinct UUIDv7s (RFC variant) across several refills of its random pool, sorted in the order they were made", () => {
    // More than one millisecond can count (4,096), so the counter also runs into the next one.
    const ids = Array.from({ length: 20_000 }, () => newMessageId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.filter((_, i) => i % 97 === 0)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect("89ab").toContain(id.charAt(19));
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it("carries the time it was made, and a later millisecond sorts after", async () => {
    // Past any millisecond the burst above borrowed from the future.
    await sleep(50);
    const before = Date.now();
    const id = newMessageId();
    const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
    await sleep(3);
    expect(newMessageId() > id).toBe(true);
  });

  it("made from a client id: the same for the same sender and id, in any process; another sender's differs", () => {
    const id = messageIdFor("messi", "c-1");
    expect(messageIdFor("messi", "c-1")).toBe(id);
    expect(version(id)).toBe(5);
    expect(messageIdFor("lineker", "c-1")).not.toBe(id);
    expect(messageIdFor("messi", "c-2")).not.toBe(id);
    expect(version(messageIdFor("messi", undefined))).toBe(7);
  });
});
