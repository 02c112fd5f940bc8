import { describe, expect, it } from "vitest";
import { generateSecret, secretProblem } from "./secrets.ts";

describe("shared secrets", () => {
  it("generates secrets that pass the check, different every time", () => {
    const secrets = Array.from({ length: 200 }, generateSecret);
    expect(secrets.map(secretProblem).filter((p) => p !== undefined)).toEqual([]);
    expect(new Set(secrets).size).toBe(200);
  });

  it("refuses phrases, short or repetitive secrets", () => {
    for (const weak of [
      "lab-demo realm1<->realm2 peering secret",
      "sixteen chars ok!",
      "thisisaverylongpassphrasenobodywillguess",
      "abc123abc123abc123abc123abc123abc123",
      "a".repeat(64),
    ]) {
      expect(secretProblem(weak), weak).toBeDefined();
    }
    expect(secretProblem("0f3a9c1e7b2d4856a0c3e9f1b7d24c6e8a1f3b5d7c9e0a2b4c6d8e0f1a3b5c7d")).toBeUndefined();
  });
});
