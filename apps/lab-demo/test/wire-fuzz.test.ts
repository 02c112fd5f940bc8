import { describe, expect, it } from "vitest";
import { runFuzz } from "../src/fuzz/fuzz-run.ts";

describe("network fuzzing (bounded, seeded)", () => {
  it("garbage on the client, federation and bridge ports crashes nothing, leaks nothing and leaves federation working", async () => {
    const result = await runFuzz({ connections: 150, seed: 1000 });
    expect(result.reports.map((r) => r.connections)).toEqual([150, 150, 150, 150]);
    expect(result.allRunning).toBe(true);
    expect(result.federationWorks).toBe(true);
    for (const [name, mb] of Object.entries(result.rssMb)) expect(mb, name).toBeLessThan(300);
  }, 120_000);
});
