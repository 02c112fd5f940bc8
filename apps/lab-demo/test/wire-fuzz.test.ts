import { afterEach, describe, expect, it } from "vitest";
import { residentBytes } from "../src/abuse/process-memory.ts";
import { fuzzPort, SEEDS } from "../src/fuzz/wire-fuzzer.ts";
import { collectInbox, eventually, startFederation, type FederationFixture } from "./federation-fixtures.ts";

let fed: FederationFixture | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
});

describe("network fuzzing (bounded, seeded)", () => {
  it("garbage on the client, federation and bridge ports crashes nothing, leaks nothing and leaves federation working", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const targets = [
      { name: "client port (classic)", port: t.realm("realm1").port, seeds: SEEDS.classic },
      { name: "client port (live)", port: t.realm("realm1").port, seeds: SEEDS.live },
      { name: "realm federation port", port: t.realm("realm1").federationPort as number, seeds: SEEDS.federation },
      { name: "bridge port", port: t.bridge("realm1").port, seeds: SEEDS.federation },
    ];
    for (const [i, target] of targets.entries()) {
      const report = await fuzzPort(target, { connections: 150, parallel: 15, seed: 1000 + i });
      expect(report.connections).toBe(150);
    }
    for (const p of [t.realm("realm1"), t.realm("realm2"), t.bridge("realm1"), t.bridge("realm2")]) {
      expect(p.process.running).toBe(true);
      expect(residentBytes(p.process.child.pid as number) ?? 0).toBeLessThan(300 * 1024 * 1024);
    }
    const messi = await t.connect("realm1", "messi", "surabaya");
    const james = await t.connect("realm2", "james", "medan");
    await eventually(() => messi.send("james", "after the fuzzing"));
    expect((await collectInbox(james, 1)).map((e) => e.text)).toContain("after the fuzzing");
  }, 120_000);
});
