import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sortedQuantile } from "../abuse/latency-stats.ts";
import { startLocalPostgres } from "../local-postgres.ts";
import { instanceName, Topology } from "../topology.ts";
import { writeFederationConfigs } from "../topology-config.ts";
import { BenchLiveClient } from "./bench-live-client.ts";
import { runDeliveryLoop, type LoopReceiver, type LoopResult, type LoopSender } from "./delivery-loop.ts";
import { LiveBenchClient } from "./our-live-system.ts";
import { BENCH_REALM_ARGS } from "./bench-limits.ts";
import { measureNotifyLock, type NotifyLockFigures } from "./notify-lock.ts";
import { postgresCpuMicros } from "./postgres-cpu.ts";
import { totalCpuMicros } from "./process-cpu.ts";

export interface ClusterScalingOptions {
  /** Instance counts to measure, e.g. [1, 2, 3]. */
  readonly instances: readonly number[];
  /** Private: sender → receiver pairs, each on different instances when there are several. */
  readonly pairs: number;
  readonly messagesPerPair: number;
  /** Group: members (spread over the instances), of whom `senders` talk. */
  readonly members: number;
  readonly senders: number;
  readonly messagesPerSender: number;
  /** Messages a sender keeps in flight (sent, not yet received by their receivers). */
  readonly window: number;
  /** How long each loop of the NOTIFY lock's measurement runs (default 2 s). */
  readonly notifyLockSeconds?: number;
  readonly say?: (line: string) => void;
}

export interface WorkloadFigures {
  /** Messages (private) or deliveries (group) per second, counted at the receiving clients. */
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly count: number;
  /** CPU time of every server process (the realm's instances, and PostgreSQL's when it is the store) per message or delivery. */
  readonly cpuMicrosEach: number;
  /** Of that, PostgreSQL's (0 on SQLite). */
  readonly databaseMicrosEach: number;
  /** Transactions PostgreSQL committed per second meanwhile (0 on SQLite). */
  readonly commitsPerSecond: number;
}

export interface ClusterScalingRow {
  /** SQLite: the realm in one process, as it runs alone; PostgreSQL: `instances` processes on one database. */
  readonly store: "SQLite" | "PostgreSQL";
  readonly instances: number;
  readonly privateMessages: WorkloadFigures;
  readonly groupDeliveries: WorkloadFigures;
}

const PASSWORD = "bench";

/** Where the realm keeps its data for one row: SQLite in its folder, or a PostgreSQL database (and that server's folder, for its CPU). */
type RowStore =
  | { readonly kind: "SQLite" }
  | { readonly kind: "PostgreSQL"; readonly url: string; readonly serverDir: string; readonly commits: () => Promise<number> };

/** What the servers have used so far: the realm's processes' CPU, the database's, and its commits. */
interface ServerUse {
  realmCpu(): number;
  databaseCpu(): number;
  commits(): Promise<number>;
}

/** Runs `loop`, and its figures with the CPU the servers used meanwhile. */
async function measured(loop: () => Promise<LoopResult>, use: ServerUse): Promise<WorkloadFigures> {
  const commitsBefore = await use.commits();
  const realmBefore = use.realmCpu();
  const databaseBefore = use.databaseCpu();
  const result = await loop();
  const realm = use.realmCpu() - realmBefore;
  const database = use.databaseCpu() - databaseBefore;
  // Backends report their commits to the statistics when idle, within a second.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const commits = (await use.commits()) - commitsBefore;
  const sorted = Float64Array.from(result.latencies).sort();
  return {
    perSecond: Math.round(result.deliveries / result.seconds),
    p50Ms: sortedQuantile(sorted, 0.5),
    p99Ms: sortedQuantile(sorted, 0.99),
    count: result.deliveries,
    cpuMicrosEach: (realm + database) / result.deliveries,
    databaseMicrosEach: database / result.deliveries,
    commitsPerSecond: Math.round(commits / result.seconds),
  };
}

async function measureOne(options: ClusterScalingOptions, n: number, dir: string, store: RowStore): Promise<ClusterScalingRow> {
  const topology = new Topology();
  const clients: LiveBenchClient[] = [];
  try {
    const users = Array.from({ length: Math.max(options.pairs * 2, options.members) }, (_, i) => ({ user: `u${i}`, password: PASSWORD }));
    const rowDir = join(dir, `${store.kind}-${n}`);
    await mkdir(rowDir, { recursive: true });
    const [spec] = await writeFederationConfigs(rowDir, [{ name: "realm1", users }]);
    for (let i = 1; i <= n; i++) {
      await topology.startRealm({
        name: instanceName("realm1", i),
        config: spec!.realmConfig,
        dataDir: join(rowDir, `i${i}`),
        port: 0,
        ...(store.kind === "PostgreSQL" ? { storeUrl: store.url } : {}),
        extraArgs: BENCH_REALM_ARGS,
      });
    }
    const instances = topology.instancesOf("realm1");
    const pids = instances.map((r) => r.process.pid as number);
    const use: ServerUse = {
      realmCpu: () => totalCpuMicros(pids),
      databaseCpu: () => (store.kind === "PostgreSQL" ? postgresCpuMicros(store.serverDir) : 0),
      commits: () => (store.kind === "PostgreSQL" ? store.commits() : Promise.resolve(0)),
    };
    const failed = { count: 0 };
    const login = async (i: number, on: number): Promise<LiveBenchClient> => {
      const live = await BenchLiveClient.connect((instances[on % n] as { port: number }).port);
      await live.request("auth", { user: `u${i}`, password: PASSWORD });
      const client = new LiveBenchClient(live, failed);
      clients.push(client);
      return client;
    };
    // Sender i on instance i, its receiver on the next instance.
    const senders: LoopSender[] = [];
    const receivers: LoopReceiver[] = [];
    for (let p = 0; p < options.pairs; p++) {
      const sender = await login(2 * p, p);
      const receiver = await login(2 * p + 1, p + 1);
      const to = `u${2 * p + 1}`;
      senders.push({ id: p, client: sender, send: (text) => sender.sendPrivate(to, text) });
      receivers.push({ client: receiver, counts: (s) => s === p });
    }
    const privateMessages = await measured(
      () => runDeliveryLoop({ senders, receivers, fanOut: 1, count: options.messagesPerPair, window: options.window }),
      use,
    );
    const label = `  ${store.kind}, ${n} instance(s)`;
    options.say?.(
      `${label}: private ${privateMessages.perSecond} msgs/s, ${privateMessages.cpuMicrosEach.toFixed(0)} µs CPU each, ` +
        `p99 ${privateMessages.p99Ms.toFixed(1)} ms`,
    );

    const members: LiveBenchClient[] = [];
    for (let m = 0; m < options.members; m++) {
      const client = m < clients.length ? (clients[m] as LiveBenchClient) : await login(m, m);
      await client.join("bench");
      members.push(client);
    }
    // Every member counts every line, its own echo too.
    const groupDeliveries = await measured(
      () =>
        runDeliveryLoop({
          senders: members.slice(0, options.senders).map((client, id) => ({ id, client, send: (text) => client.say("bench", text) })),
          receivers: members.map((client) => ({ client, counts: () => true })),
          fanOut: options.members,
          count: options.messagesPerSender,
          window: options.window,
        }),
      use,
    );
    options.say?.(
      `${label}: group ${groupDeliveries.perSecond} deliveries/s, ${groupDeliveries.cpuMicrosEach.toFixed(1)} µs CPU each, ` +
        `p99 ${groupDeliveries.p99Ms.toFixed(1)} ms`,
    );
    return { store: store.kind, instances: n, privateMessages, groupDeliveries };
  } finally {
    for (const c of clients) c.close();
    await topology.close();
  }
}

/**
 * Throughput, latency and CPU per message of one realm in one process on SQLite, then run as 1,
 * 2, 3… instances on one PostgreSQL database, the same workloads, counted at the receiving live
 * clients: private messages between users on different instances, and a group with members on
 * every instance. CPU is summed over every server process, PostgreSQL's included.
 */
export async function measureClusterScaling(
  options: ClusterScalingOptions,
): Promise<{ readonly rows: ClusterScalingRow[]; readonly notifyLock: NotifyLockFigures[] }> {
  const dir = await mkdtemp(join(tmpdir(), "realmchat-cluster-bench-"));
  // PostgreSQL runs as its own user (never root), which must reach its folder inside ours.
  await chmod(dir, 0o755);
  const postgres = await startLocalPostgres(join(dir, "postgres"));
  try {
    const rows: ClusterScalingRow[] = [await measureOne(options, 1, dir, { kind: "SQLite" })];
    for (const n of options.instances) {
      const url = await postgres.database(`bench_${n}`);
      const commits = (): Promise<number> => postgres.commits(`bench_${n}`);
      rows.push(await measureOne(options, n, dir, { kind: "PostgreSQL", url, serverDir: join(dir, "postgres"), commits }));
    }
    const notifyLock = await measureNotifyLock(postgres, "notify_lock", [1, 2, 4], options.notifyLockSeconds);
    return { rows, notifyLock };
  } finally {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The figures as a markdown table, one row per store and instance count; throughput also as a share of SQLite's. */
export function scalingTable(rows: readonly ClusterScalingRow[]): string {
  const sqlite = rows.find((r) => r.store === "SQLite");
  const share = (value: number, of: number | undefined): string => (of === undefined ? "" : ` (${(value / of).toFixed(2)}×)`);
  const lines = [
    "| store | instances | private msgs/s | CPU µs/msg (PostgreSQL's) | commits/s | p50 / p99 ms | " +
      "group deliveries/s | CPU µs/delivery (PostgreSQL's) | commits/s | p50 / p99 ms |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const p = r.privateMessages;
    const g = r.groupDeliveries;
    lines.push(
      `| ${r.store} | ${r.instances} | ${p.perSecond}${share(p.perSecond, sqlite?.privateMessages.perSecond)} | ` +
        `${p.cpuMicrosEach.toFixed(0)} (${p.databaseMicrosEach.toFixed(0)}) | ${p.commitsPerSecond} | ` +
        `${p.p50Ms.toFixed(1)} / ${p.p99Ms.toFixed(1)} | ` +
        `${g.perSecond}${share(g.perSecond, sqlite?.groupDeliveries.perSecond)} | ` +
        `${g.cpuMicrosEach.toFixed(1)} (${g.databaseMicrosEach.toFixed(1)}) | ${g.commitsPerSecond} | ` +
        `${g.p50Ms.toFixed(1)} / ${g.p99Ms.toFixed(1)} |`,
    );
  }
  return lines.join("\n");
}
