import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quantile } from "../abuse/latency-stats.ts";
import { startLocalPostgres } from "../local-postgres.ts";
import { instanceName, Topology } from "../topology.ts";
import { writeFederationConfigs } from "../topology-config.ts";
import { BenchLiveClient } from "./bench-live-client.ts";
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

function figures(latencies: number[], seconds: number): WorkloadFigures {
  return { perSecond: Math.round(latencies.length / seconds), p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), count: latencies.length };
}

/** Runs `count` messages from each sender with `window` in flight, each counted when `expected` receivers have it. */
async function closedLoop(
  senders: readonly BenchLiveClient[],
  count: number,
  window: number,
  send: (sender: number, client: BenchLiveClient, text: string) => Promise<unknown>,
  receivers: readonly BenchLiveClient[],
  expected: number,
  eventText: (event: Record<string, unknown>) => string | undefined,
): Promise<WorkloadFigures> {
  const latencies: number[] = [];
  const heard = new Map<string, number>();
  const inFlight = senders.map(() => 0);
  const sent = senders.map(() => 0);
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let outstanding = senders.length * count * expected;
  const pump = (s: number): void => {
    while (inFlight[s]! < window && sent[s]! < count) {
      const text = `b ${s} ${sent[s]!++} ${performance.now()}`;
      inFlight[s]!++;
      void send(s, senders[s] as BenchLiveClient, text);
    }
  };
  for (const receiver of receivers) {
    receiver.onEvent = (event) => {
      const text = eventText(event);
      if (text === undefined || !text.startsWith("b ")) return;
      const [, s, , at] = text.split(" ");
      latencies.push(performance.now() - Number(at));
      const n = (heard.get(text) ?? 0) + 1;
      heard.set(text, n);
      if (n === expected) {
        heard.delete(text);
        inFlight[Number(s)]!--;
        pump(Number(s));
      }
      if (--outstanding === 0) done();
    };
  }
  const started = performance.now();
  senders.forEach((_, s) => pump(s));
  await finished;
  return figures(latencies, (performance.now() - started) / 1000);
}

async function measureOne(options: ClusterScalingOptions, n: number, dir: string, storeUrl: string): Promise<ClusterScalingRow> {
  const topology = new Topology();
  const clients: BenchLiveClient[] = [];
  try {
    const users = Array.from({ length: Math.max(options.pairs * 2, options.members) }, (_, i) => ({ user: `u${i}`, password: PASSWORD }));
    await mkdir(join(dir, `n${n}`), { recursive: true });
    const [spec] = await writeFederationConfigs(join(dir, `n${n}`), [{ name: "realm1", users }]);
    for (let i = 1; i <= n; i++) {
      await topology.startRealm({ name: instanceName("realm1", i), config: spec!.realmConfig, dataDir: join(dir, `n${n}`, `i${i}`), port: 0, storeUrl, extraArgs: BENCH_REALM_ARGS });
    }
    const instances = topology.instancesOf("realm1");
    const login = async (i: number, on: number): Promise<BenchLiveClient> => {
      const client = await BenchLiveClient.connect((instances[on % n] as { port: number }).port);
      clients.push(client);
      await client.request("auth", { user: `u${i}`, password: PASSWORD });
      return client;
    };
    // Sender i on instance i, its receiver on the next instance.
    const senders: BenchLiveClient[] = [];
    const receivers: BenchLiveClient[] = [];
    for (let p = 0; p < options.pairs; p++) {
      senders.push(await login(2 * p, p));
      receivers.push(await login(2 * p + 1, p + 1));
    }
    const privateMessages = await closedLoop(
      senders,
      options.messagesPerPair,
      options.window,
      (s, c, text) => c.request("send", { to: `u${2 * s + 1}`, text }),
      receivers,
      1,
      (e) => (e.ev === "message" ? (e.text as string) : undefined),
    );
    options.say?.(`  ${n} instance(s): private ${privateMessages.perSecond} msgs/s, p99 ${privateMessages.p99Ms.toFixed(1)} ms`);

    const members: BenchLiveClient[] = [];
    for (let m = 0; m < options.members; m++) {
      const client = m < clients.length ? (clients[m] as BenchLiveClient) : await login(m, m);
      await client.request("join", { group: "bench" });
      members.push(client);
    }
    const groupDeliveries = await closedLoop(
      members.slice(0, options.senders),
      options.messagesPerSender,
      options.window,
      (_s, c, text) => c.request("say", { group: "bench", text }),
      members,
      options.members,
      (e) => (e.ev === "group" && e.kind === "message" ? (e.text as string) : undefined),
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
    lines.push(`| ${r.instances} | ${p.perSecond} | ${p.p50Ms.toFixed(1)} / ${p.p99Ms.toFixed(1)} | ${g.perSecond} | ${g.p50Ms.toFixed(1)} / ${g.p99Ms.toFixed(1)} |`);
  }
  return lines.join("\n");
}
