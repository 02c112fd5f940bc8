import { sortedQuantile } from "../abuse/latency-stats.ts";
import { residentBytes } from "../abuse/process-memory.ts";
import type { BenchClient, BenchSystem } from "./bench-system.ts";
import { comparisonWorkloads, setUpWorkload, usersOf, type Workload } from "./comparison-workloads.ts";
import { runDeliveryLoop } from "./delivery-loop.ts";
import { totalCpuMicros } from "./process-cpu.ts";

export interface SweepPoint {
  readonly connected: number;
  readonly perSecond: number;
  readonly p99Ms: number;
  readonly cpuMicrosPerDelivery: number;
  /** Resident memory of the system's processes with that many users connected, MB. */
  readonly rssMb: number;
}

export interface ConnectionFigures {
  /** Memory each idle, logged-in connection adds to the servers, KiB. */
  readonly kibPerIdleConnection: number;
  readonly idleConnections: number;
  readonly sweep: SweepPoint[];
  /** Users numbered from `firstUser` on that this used. */
  readonly usersUsed: number;
}

/** Connections made before anything is measured. */
const SETTLING_CONNECTIONS = 100;

const rssOf = (system: BenchSystem): number => [...system.pids().values()].reduce((sum, pid) => sum + (residentBytes(pid) ?? 0), 0);

/** Logs in users `from`..`to`-1, alternately on each server, a hundred at a time. */
async function connectIdle(system: BenchSystem, from: number, to: number, into: BenchClient[]): Promise<void> {
  for (let start = from; start < to; start += 100) {
    const batch: Array<Promise<BenchClient>> = [];
    for (let u = start; u < Math.min(to, start + 100); u++) batch.push(system.connect(u, (u % 2) as 0 | 1));
    into.push(...(await Promise.all(batch)));
  }
}

/**
 * Idle connections and load, on servers that have served nothing else yet: first the memory
 * 10,000 logged-in idle users cost, then the same message load (the private-across workload,
 * smaller) with 100, 1,000 and 10,000 users connected, to show how cost grows with the number of
 * users.
 */
export async function measureConnections(system: BenchSystem, levels: readonly number[], scale: number, firstUser: number): Promise<ConnectionFigures> {
  const idle: BenchClient[] = [];
  const load: Workload = { ...(comparisonWorkloads(scale).find((w) => w.key === "private-across") as Workload), size: 20, window: 20 };
  const loadUsers = usersOf(load);
  const idleBase = firstUser + loadUsers * levels.length;
  const sweep: SweepPoint[] = [];
  let kibPerIdleConnection = 0;
  const most = Math.max(...levels);
  try {
    // Settle first: what a fresh server allocates on its first clients is not per connection.
    await connectIdle(system, idleBase, idleBase + SETTLING_CONNECTIONS, idle);
    await new Promise((r) => setTimeout(r, 1000));
    // Idle connections are measured before any load: a heap that a load grew would take them in
    // its slack and hide what they cost.
    if (most > SETTLING_CONNECTIONS) {
      const before = rssOf(system);
      await connectIdle(system, idleBase + SETTLING_CONNECTIONS, idleBase + most, idle);
      await new Promise((r) => setTimeout(r, 2000));
      kibPerIdleConnection = (rssOf(system) - before) / 1024 / (most - SETTLING_CONNECTIONS);
    }
    // Back to the settling ones: the sweep adds the others again as it goes (users who log in anew).
    for (const c of idle.splice(SETTLING_CONNECTIONS)) c.close();
    let next = idleBase + most;
    for (const [i, level] of levels.entries()) {
      if (level > idle.length) {
        const more = level - idle.length;
        await connectIdle(system, next, next + more, idle);
        next += more;
      }
      const { loop, clients } = await setUpWorkload(system, load, firstUser + i * loadUsers);
      const cpuBefore = totalCpuMicros(system.pids().values());
      const result = await runDeliveryLoop({ ...loop, count: load.count, window: load.window });
      const cpu = totalCpuMicros(system.pids().values()) - cpuBefore;
      const sorted = Float64Array.from(result.latencies).sort();
      sweep.push({
        connected: idle.length + clients.length,
        perSecond: Math.round(result.deliveries / result.seconds),
        p99Ms: sortedQuantile(sorted, 0.99),
        cpuMicrosPerDelivery: result.deliveries === 0 ? 0 : cpu / result.deliveries,
        rssMb: Math.round(rssOf(system) / (1024 * 1024)),
      });
      for (const c of clients) c.close();
    }
    return { kibPerIdleConnection, idleConnections: most, sweep, usersUsed: next - firstUser };
  } finally {
    for (const c of idle) c.close();
  }
}
