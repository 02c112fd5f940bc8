import { setTimeout as sleep } from "node:timers/promises";
import { validate, version } from "uuid";
import { describe, expect, it } from "vitest";
import { newMessageId } from "./message-id.ts";

describe("newMessageId", () => {
  it("makes distinct UUIDv7s across several refills of its random pool, and a later millisecond sorts after", async () => {
    const ids = Array.from({ length: 3000 }, () => newMessageId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    const before = newMessageId();
    await sleep(3);
    expect(newMessageId() > before).toBe(true);
  });
});
