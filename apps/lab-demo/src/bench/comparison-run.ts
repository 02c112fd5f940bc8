import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sortedQuantile } from "../abuse/latency-stats.ts";
import { PeakMemory } from "../abuse/process-memory.ts";
import type { BenchSystem } from "./bench-system.ts";
import { comparisonWorkloads, setUpWorkload, usersOf, type Workload } from "./comparison-workloads.ts";
import { measureConnections, type ConnectionFigures } from "./connection-sweep.ts";
import { runDeliveryLoop } from "./delivery-loop.ts";
import { ngircdInstalled, startNgircdPair } from "./ngircd-pair.ts";
import { startOurRealms } from "./our-live-system.ts";
import { processCpuMicros } from "./process-cpu.ts";

export interface WorkloadFigures {
  readonly workload: string;
  readonly title: string;
  readonly system: string;
  /** Deliveries per second, counted at the receivers. */
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Server CPU (all processes of the system) per delivery. */
  readonly cpuMicrosPerDelivery: number;
  /** The same, process by process (by the system's names for them), and the load generator's own. */
  readonly cpuMicrosByProcess: Readonly<Record<string, number>>;
  /** Sum of the peak resident memory of the system's processes during the workload. */
  readonly peakRssMb: number;
  /** The same as proportional memory (PSS): pages the processes share (the node binary) counted once. */
  readonly peakPssMb: number;
  readonly delivered: number;
  readonly expected: number;
  readonly duplicatedOrReordered: number;
}

export interface SystemFigures {
  readonly system: string;
  readonly workloads: WorkloadFigures[];
  /** Idle connections and the sweep over connected users; absent when not asked for. */
  readonly connections: ConnectionFigures | undefined;
}

export interface ComparisonOptions {
  readonly scale: number;
  /** Connected-user levels of the sweep (the last is also the idle-connection count); none: no sweep. */
  readonly sweep: readonly number[];
  readonly only?: readonly string[];
  /** Our servers from the built JavaScript (as deployed), not from TypeScript source. */
  readonly built?: boolean;
  /** Our processes publish every frame at a tap that the bench reads (the lab view's cost). */
  readonly tap?: boolean;
  readonly say: (line: string) => void;
}

async function measure(system: BenchSystem, w: Workload, base: number): Promise<WorkloadFigures> {
  const { loop, clients } = await setUpWorkload(system, w, base);
  const pids = system.pids();
  const memory = new PeakMemory(() => pids, { everyMs: 50, proportional: true });
  memory.takePeaks();
  const cpuBefore = new Map([...pids].map(([name, pid]) => [name, processCpuMicros(pid)]));
  const generatorBefore = process.cpuUsage();
  const result = await runDeliveryLoop({
    ...loop,
    count: w.count,
    window: w.window,
    ...(w.ratePerSender === undefined ? {} : { ratePerSender: w.ratePerSender }),
  });
  const generator = process.cpuUsage(generatorBefore);
  const perDelivery = (micros: number): number => (result.deliveries === 0 ? 0 : Math.round((10 * micros) / result.deliveries) / 10);
  const cpuByProcess: Record<string, number> = {};
  let cpu = 0;
  for (const [name, pid] of pids) {
    const used = processCpuMicros(pid) - (cpuBefore.get(name) ?? 0);
    cpu += used;
    cpuByProcess[name] = perDelivery(used);
  }
  cpuByProcess["load generator"] = perDelivery(generator.user + generator.system);
  const peaks = memory.takePeaks();
  memory.stop();
  for (const c of clients) c.close();
  const sorted = Float64Array.from(result.latencies).sort();
  return {
    workload: w.key,
    title: w.title,
    system: system.name,
    perSecond: Math.round(result.deliveries / result.seconds),
    p50Ms: sortedQuantile(sorted, 0.5),
    p99Ms: sortedQuantile(sorted, 0.99),
    maxMs: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] as number),
    cpuMicrosPerDelivery: result.deliveries === 0 ? 0 : cpu / result.deliveries,
    cpuMicrosByProcess: cpuByProcess,
    peakRssMb: [...peaks.rss.values()].reduce((a, b) => a + b, 0),
    peakPssMb: [...peaks.pss.values()].reduce((a, b) => a + b, 0),
    delivered: result.deliveries,
    expected: result.expected,
    duplicatedOrReordered: result.duplicatedOrReordered,
  };
}

async function runSystem(
  start: (dir: string) => Promise<BenchSystem>,
  workloads: readonly Workload[],
  options: ComparisonOptions,
): Promise<SystemFigures> {
  const { say } = options;
  const dir = await mkdtemp(join(tmpdir(), "realmchat-compare-"));
  // ngircd drops to the `nobody` user, which must reach its files in here.
  await chmod(dir, 0o755);
  const system = await start(dir);
  const out: WorkloadFigures[] = [];
  let connections: ConnectionFigures | undefined;
  try {
    let base = 0;
    // First, while the servers are fresh: what idle connections cost is not hidden in a heap
    // that earlier workloads grew.
    if (options.sweep.length > 0) {
      connections = await measureConnections(system, options.sweep, options.scale, 0);
      base = connections.usersUsed;
      say(
        `  ${system.name} | idle: ${connections.kibPerIdleConnection.toFixed(1)} KiB per logged-in idle connection ` +
          `(${connections.idleConnections} connected)`,
      );
      for (const p of connections.sweep)
        say(
          `  ${system.name} | sweep ${p.connected} users: ${p.perSecond}/s, p99 ${p.p99Ms.toFixed(1)} ms, ` +
            `${p.cpuMicrosPerDelivery.toFixed(1)} µs CPU, ${p.rssMb} MB`,
        );
    }
    for (const w of workloads) {
      const refusedBefore = system.refusedRequests?.() ?? 0;
      const figures = await measure(system, w, base);
      const refused = (system.refusedRequests?.() ?? 0) - refusedBefore;
      base += usersOf(w);
      const byProcess = Object.entries(figures.cpuMicrosByProcess)
        .map(([name, us]) => `${name} ${us}`)
        .join(", ");
      const doubled = figures.duplicatedOrReordered > 0 ? `, ${figures.duplicatedOrReordered} doubled or reordered` : "";
      say(
        `  ${system.name} | ${w.key}: ${figures.perSecond}/s, p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms, ` +
          `${figures.cpuMicrosPerDelivery.toFixed(1)} µs CPU (${byProcess}), ` +
          `peak ${figures.peakRssMb} MB RSS / ${figures.peakPssMb} MB PSS, ${figures.delivered}/${figures.expected} delivered` +
          `${doubled}${refused > 0 ? `, ${refused} requests refused` : ""}`,
      );
      out.push(figures);
    }
  } finally {
    await system.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return { system: system.name, workloads: out, connections };
}

/** The workloads run over WebSocket too, beside TCP: private messages on one realm, and group fan-out. */
export const WEBSOCKET_WORKLOADS: readonly string[] = ["private-local", "group"];

export interface ComparisonResult {
  readonly ours: SystemFigures;
  /** Ours again with every client on the realms' WebSocket `/live`, as browsers reach them. */
  readonly websocket: SystemFigures | undefined;
  readonly peer: SystemFigures | undefined;
}

/**
 * Runs the same workloads against ours (two realms, two bridges), ours with its clients on
 * WebSocket (the private-local and group workloads, and the idle memory at the sweep's most
 * connections) and, if `ngircd` is installed, a linked pair of ngircd, one after the other on this
 * machine, counting at the receivers.
 */
export async function runComparison(options: ComparisonOptions): Promise<ComparisonResult> {
  const workloads = comparisonWorkloads(options.scale).filter((w) => options.only === undefined || options.only.includes(w.key));
  // Users for the workloads, the sweep's loads and its warm-up (20 pairs each) and its idle connections
  // (logged in twice over: once to measure them idle, again as the sweep climbs).
  const users =
    workloads.reduce((sum, w) => sum + usersOf(w), 0) + 40 * (options.sweep.length + 1) + 2 * Math.max(0, ...options.sweep) + 200;
  options.say("ours: two realms and two bridges (SQLite, group commit; rate limits raised for the run)");
  const ourOptions = { built: options.built === true, tap: options.tap === true };
  const ours = await runSystem((dir) => startOurRealms(dir, users, { transport: "tcp", ...ourOptions }), workloads, options);
  const overWebSocket = workloads.filter((w) => WEBSOCKET_WORKLOADS.includes(w.key));
  let websocket: SystemFigures | undefined;
  if (overWebSocket.length > 0 || options.sweep.length > 0) {
    options.say("ours over WebSocket: the same two realms and bridges, every client on a realm's web listener (/live)");
    const idle = options.sweep.length === 0 ? [] : [Math.max(...options.sweep)];
    websocket = await runSystem((dir) => startOurRealms(dir, users, { transport: "websocket", ...ourOptions }), overWebSocket, {
      ...options,
      sweep: idle,
    });
  }
  if (!ngircdInstalled()) {
    options.say("ngircd is not installed (apt-get install ngircd): no peer to compare with");
    return { ours, websocket, peer: undefined };
  }
  options.say("peer: two linked ngircd (MaxPenaltyTime = 0, no connection limits)");
  const peer = await runSystem((dir) => startNgircdPair(dir), workloads, options);
  return { ours, websocket, peer };
}
