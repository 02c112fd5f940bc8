import { describe, expect, it } from "vitest";
import { TurnBytes } from "./turn-bytes.ts";

describe("TurnBytes", () => {
  it("gives back what was written as UTF-8, across growth, and starts empty again", () => {
    const bytes = new TurnBytes();
    const pieces = ["halo ", "kawan 🙂 ", "é".repeat(40_000), "x".repeat(200_000), "\n"];
    for (const piece of pieces) bytes.write(piece);
    const first = bytes.take();
    expect(first.toString("utf8")).toBe(pieces.join(""));
    expect(bytes.length).toBe(0);
    bytes.write("lagi\n");
    expect(bytes.take().toString("utf8")).toBe("lagi\n");
    expect(first.toString("utf8")).toBe(pieces.join(""));
  });
});
