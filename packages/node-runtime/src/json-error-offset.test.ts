import { describe, expect, it } from "vitest";
import { jsonErrorOffset } from "./json-error-offset.ts";

describe("jsonErrorOffset", () => {
  it("finds where JSON first goes wrong, and nothing in valid JSON", () => {
    expect(jsonErrorOffset('{"a": [1, -2.5e3, true, null, "x\\"y"], "b": {}}')).toBeUndefined();
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": "open')).toBe(11);
    expect(jsonErrorOffset("[1 2]")).toBe(3);
  });
});
