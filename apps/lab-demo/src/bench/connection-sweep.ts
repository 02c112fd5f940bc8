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

/**
 * Connections made before anything is measured, at most (a tenth of the most): enough logins that
 * the servers' first collections of old objects (what starting up left behind) have run, or the
 * figure counts their freed pages against the connections.
 */
const SETTLING_CONNECTIONS = 1000;
/** Points on the way to the most connections where resident memory is read. */
const IDLE_STEPS = 4;

/** The slope of a least-squares line through the points: what one more x costs in y. */
function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) * (x - mx);
  }
  return den === 0 ? 0 : num / den;
}

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
 * Idle connections and load, on servers that have served nothing but a short warm-up yet: first
 * the memory 10,000 logged-in idle users cost, then the same message load (the private-across workload,
 * smaller) with 100, 1,000 and 10,000 users connected, to show how cost grows with the number of
 * users.
 */
export async function measureConnections(
  system: BenchSystem,
  levels: readonly number[],
  scale: number,
  firstUser: number,
): Promise<ConnectionFigures> {
  const idle: BenchClient[] = [];
  const load: Workload = { ...(comparisonWorkloads(scale).find((w) => w.key === "private-across") as Workload), size: 20, window: 20 };
  const loadUsers = usersOf(load);
  // Each level's load has users of its own, and so has the warm-up.
  const idleBase = firstUser + loadUsers * (levels.length + 1);
  const sweep: SweepPoint[] = [];
  let kibPerIdleConnection = 0;
  const most = Math.max(...levels);
  const settling = Math.min(SETTLING_CONNECTIONS, Math.floor(most / 10));
  try {
    // Settle first: what a fresh server allocates on its first clients is not per connection,
    // and what starting up left behind is freed by the first collections a load brings on (freed
    // while connections are counted, it made their figure negative). The same load warms up the
    // code for the sweep's first level.
    await connectIdle(system, idleBase, idleBase + settling, idle);
    const warmUp = await setUpWorkload(system, load, firstUser + levels.length * loadUsers);
    await runDeliveryLoop({ ...warmUp.loop, count: Math.ceil(load.count / 4), window: load.window });
    for (const c of warmUp.clients) c.close();
    await new Promise((r) => setTimeout(r, 1000));
    // Idle connections are measured before the sweep's loads (the warm-up is a quarter of one):
    // a heap that a load grew would take them in its slack and hide what they cost. Resident memory moves with every collection; a line
    // through several readings on the way up is steadier than the difference of two.
    if (most > settling) {
      const points: Array<[number, number]> = [[idle.length, rssOf(system)]];
      for (let step = 1; step <= IDLE_STEPS; step++) {
        const target = settling + Math.round(((most - settling) * step) / IDLE_STEPS);
        await connectIdle(system, idleBase + idle.length, idleBase + target, idle);
        await new Promise((r) => setTimeout(r, 1000));
        points.push([idle.length, rssOf(system)]);
      }
      kibPerIdleConnection = slope(points) / 1024;
    }
    // Down to the first level: the sweep adds the others again as it goes (users who log in anew).
    for (const c of idle.splice(Math.min(...levels))) c.close();
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
