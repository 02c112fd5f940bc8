import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { residentBytes } from "../abuse/process-memory.ts";
import { untilFederated } from "../federation-ready.ts";
import { Topology } from "../topology.ts";
import { writeFederationConfigs } from "../topology-config.ts";
import { fuzzPort, SEEDS, type FuzzReport } from "./wire-fuzzer.ts";

export interface FuzzRunResult {
  readonly reports: readonly FuzzReport[];
  /** Peak resident memory per process after the run, MB. */
  readonly rssMb: Readonly<Record<string, number>>;
  readonly allRunning: boolean;
  /** A cross-realm message still went through afterwards. */
  readonly federationWorks: boolean;
}

/** A message from messi on realm1 reaches james's inbox on realm2 within a few seconds. */
async function crossRealmMessageArrives(topology: Topology): Promise<boolean> {
  const messi = await topology.connect("realm1", "messi", "surabaya");
  const james = await topology.connect("realm2", "james", "medan");
  await messi.send("james", "after the fuzzing");
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await james.inbox()).some((e) => e.text === "after the fuzzing")) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** Two realms and bridges; seeded garbage at every port they listen on; then a health check. */
export async function runFuzz(options: { readonly connections: number; readonly seed: number }): Promise<FuzzRunResult> {
  const dir = await mkdtemp(join(tmpdir(), "realmchat-fuzz-"));
  const topology = new Topology();
  try {
    const specs = await writeFederationConfigs(dir, [
      { name: "realm1", users: [{ user: "messi", password: "surabaya" }] },
      { name: "realm2", users: [{ user: "james", password: "medan" }] },
    ]);
    await topology.startFederation(specs, { anyPort: true, dataRoot: join(dir, "data") });
    await untilFederated(topology, { realm: "realm1", user: "messi", password: "surabaya" }, "james");
    const targets = [
      { name: "client port (classic)", port: topology.realm("realm1").port, seeds: SEEDS.classic },
      { name: "client port (live)", port: topology.realm("realm1").port, seeds: SEEDS.live },
      { name: "realm federation port", port: topology.realm("realm1").federationPort as number, seeds: SEEDS.federation },
      { name: "bridge port", port: topology.bridge("realm1").port, seeds: SEEDS.federation },
    ];
    const reports: FuzzReport[] = [];
    for (const [i, target] of targets.entries())
      reports.push(await fuzzPort(target, { connections: options.connections, parallel: 25, seed: options.seed + i }));
    const processes = {
      realm1: topology.realm("realm1"),
      realm2: topology.realm("realm2"),
      bridge1: topology.bridge("realm1"),
      bridge2: topology.bridge("realm2"),
    };
    const rssMb = Object.fromEntries(
      Object.entries(processes).map(([n, p]) => [n, Math.round((residentBytes(p.process.child.pid as number) ?? 0) / (1024 * 1024))]),
    );
    const allRunning = Object.values(processes).every((p) => p.process.running);
    const federationWorks = await crossRealmMessageArrives(topology).catch(() => false);
    return { reports, rssMb, allRunning, federationWorks };
  } finally {
    await topology.close();
    await rm(dir, { recursive: true, force: true });
  }
}
