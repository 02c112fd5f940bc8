import { describe, expect, it } from "vitest";
import { runComparison } from "../src/bench/comparison-run.ts";

// The benchmark's counting, not its speed: every line reaches every receiver it should, once and
// in order, on ours and (where Debian's ngircd is installed) on the peer.
describe("pnpm bench's harness", () => {
  it("counts each private and group line at its receivers once, in order, on every system it runs", async () => {
    const result = await runComparison({ scale: 0.01, sweep: [], only: ["private-across", "group", "private-local-paced"], say: () => undefined });
    const systems = result.peer === undefined ? [result.ours] : [result.ours, result.peer];
    for (const system of systems) {
      expect(system.workloads.map((w) => w.workload)).toEqual(["private-across", "group", "private-local-paced"]);
      for (const w of system.workloads) {
        expect({ system: system.system, workload: w.workload, delivered: w.delivered, bad: w.duplicatedOrReordered }).toEqual({
          system: system.system,
          workload: w.workload,
          delivered: w.expected,
          bad: 0,
        });
        expect(w.perSecond).toBeGreaterThan(0);
      }
    }
    // A group line reaches the 99 other members.
    expect(result.ours.workloads.find((w) => w.workload === "group")?.expected).toBe(10 * 10 * 99);
  }, 180_000);
});
