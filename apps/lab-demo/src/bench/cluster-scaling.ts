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
  readonly say?: (line: string) => void;
}

export interface WorkloadFigures {
  /** Messages (private) or deliveries (group) per second, counted at the receiving clients. */
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly count: number;
}

export interface ClusterScalingRow {
  readonly instances: number;
  readonly privateMessages: WorkloadFigures;
  readonly groupDeliveries: WorkloadFigures;
}

const PASSWORD = "bench";

function figures(result: LoopResult): WorkloadFigures {
  const sorted = Float64Array.from(result.latencies).sort();
  return {
    perSecond: Math.round(result.deliveries / result.seconds),
    p50Ms: sortedQuantile(sorted, 0.5),
    p99Ms: sortedQuantile(sorted, 0.99),
    count: result.deliveries,
  };
}

async function measureOne(options: ClusterScalingOptions, n: number, dir: string, storeUrl: string): Promise<ClusterScalingRow> {
  const topology = new Topology();
  const clients: LiveBenchClient[] = [];
  try {
    const users = Array.from({ length: Math.max(options.pairs * 2, options.members) }, (_, i) => ({ user: `u${i}`, password: PASSWORD }));
    await mkdir(join(dir, `n${n}`), { recursive: true });
    const [spec] = await writeFederationConfigs(join(dir, `n${n}`), [{ name: "realm1", users }]);
    for (let i = 1; i <= n; i++) {
      await topology.startRealm({
        name: instanceName("realm1", i),
        config: spec!.realmConfig,
        dataDir: join(dir, `n${n}`, `i${i}`),
        port: 0,
        storeUrl,
        extraArgs: BENCH_REALM_ARGS,
      });
    }
    const instances = topology.instancesOf("realm1");
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
    const privateMessages = figures(
      await runDeliveryLoop({ senders, receivers, fanOut: 1, count: options.messagesPerPair, window: options.window }),
    );
    options.say?.(`  ${n} instance(s): private ${privateMessages.perSecond} msgs/s, p99 ${privateMessages.p99Ms.toFixed(1)} ms`);

    const members: LiveBenchClient[] = [];
    for (let m = 0; m < options.members; m++) {
      const client = m < clients.length ? (clients[m] as LiveBenchClient) : await login(m, m);
      await client.join("bench");
      members.push(client);
    }
    // Every member counts every line, its own echo too.
    const groupDeliveries = figures(
      await runDeliveryLoop({
        senders: members.slice(0, options.senders).map((client, id) => ({ id, client, send: (text) => client.say("bench", text) })),
        receivers: members.map((client) => ({ client, counts: () => true })),
        fanOut: options.members,
        count: options.messagesPerSender,
        window: options.window,
      }),
    );
    options.say?.(`  ${n} instance(s): group ${groupDeliveries.perSecond} deliveries/s, p99 ${groupDeliveries.p99Ms.toFixed(1)} ms`);
    return { instances: n, privateMessages, groupDeliveries };
  } finally {
    for (const c of clients) c.close();
    await topology.close();
  }
}

/**
 * Throughput and latency of one realm run as 1, 2, 3… instances on one PostgreSQL database,
 * counted at the receiving live clients: private messages between users on different instances,
 * and a group with members on every instance.
 */
export async function measureClusterScaling(options: ClusterScalingOptions): Promise<ClusterScalingRow[]> {
  const dir = await mkdtemp(join(tmpdir(), "realmchat-cluster-bench-"));
  // PostgreSQL runs as its own user (never root), which must reach its folder inside ours.
  await chmod(dir, 0o755);
  const postgres = await startLocalPostgres(join(dir, "postgres"));
  try {
    const rows: ClusterScalingRow[] = [];
    for (const n of options.instances) rows.push(await measureOne(options, n, dir, await postgres.database(`bench_${n}`)));
    return rows;
  } finally {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The figures as a markdown table, one row per instance count. */
export function scalingTable(rows: readonly ClusterScalingRow[]): string {
  const lines = [
    "| instances of realm1 | private msgs/s | private p50 / p99 ms | group deliveries/s | group p50 / p99 ms |",
    "|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const p = r.privateMessages;
    const g = r.groupDeliveries;
    lines.push(
      `| ${r.instances} | ${p.perSecond} | ${p.p50Ms.toFixed(1)} / ${p.p99Ms.toFixed(1)} | ${g.perSecond} | ` +
        `${g.p50Ms.toFixed(1)} / ${g.p99Ms.toFixed(1)} |`,
    );
  }
  return lines.join("\n");
}
