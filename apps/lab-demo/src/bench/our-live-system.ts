import { join } from "node:path";
import { TapCollector } from "../lab-view/tap-collector.ts";
import { untilFederated } from "../federation-ready.ts";
import { Topology } from "../topology.ts";
import { writeFederationConfigs } from "../topology-config.ts";
import type { BenchClient, BenchSystem } from "./bench-system.ts";
import { BenchLiveClient, type BenchLink } from "./bench-live-client.ts";
import { BenchWsClient } from "./bench-ws-client.ts";
import { BENCH_REALM_ARGS } from "./bench-limits.ts";

const PASSWORD = "bench";
/** Cheap scrypt for the benchmark's users only: thousands of logins should not measure scrypt. */
const BENCH_HASH_COST = { N: 16, r: 1, p: 1 } as const;
/** Besides the raised rates (BENCH_REALM_ARGS): room for the sweep's 10,000 connections from one address. */
const CONNECTION_ARGS = ["--max-connections", "100000", "--max-connections-per-address", "100000"] as const;

/**
 * A live-protocol client as a benchmark client: sends are not awaited, failures are counted, and
 * private messages are acknowledged as the terminal and browser clients do: once per turn, up to
 * the last one received, so the realm lets them go without storing them (docs/design/private-hand-off.md).
 */
export class LiveBenchClient implements BenchClient {
  readonly #client: BenchLink;
  readonly #failed: { count: number };
  #ackUpTo: string | undefined;
  onText: (text: string) => void = () => undefined;

  constructor(client: BenchLink, failed: { count: number }) {
    this.#client = client;
    this.#failed = failed;
    client.onEvent = (e) => {
      if (e.ev === "message") {
        this.onText(e.text as string);
        if (this.#ackUpTo === undefined) queueMicrotask(this.#ack);
        this.#ackUpTo = e.msgId as string;
      } else if (e.ev === "group" && e.kind === "message") this.onText(e.text as string);
    };
    client.onRefused = () => {
      this.#failed.count++;
    };
  }

  readonly #ack = (): void => {
    const upTo = this.#ackUpTo;
    this.#ackUpTo = undefined;
    if (upTo !== undefined) this.#client.postAck(upTo);
  };

  sendPrivate(to: string, text: string): void {
    this.#client.post("send", to, text);
  }

  say(group: string, text: string): void {
    this.#client.post("say", group, text);
  }

  async join(group: string): Promise<void> {
    await this.#client.request("join", { group });
  }

  close(): void {
    this.#client.close();
  }
}

/**
 * A reader of every process's tap that takes all it is sent and counts it, as the lab view reads
 * them (each saying which others it reads: a frame between two of them comes with its frames once,
 * from its sender): what the processes spend is the tap's cost (docs/design/tap.md); parsing it is
 * the viewer's, and not measured here. It reads on the load generator's event loop: in a thread of
 * its own it read in smaller pieces, more often, and the run was slower (44,728 and 46,715 against
 * about 53,000 msgs/s across realms).
 */
async function readEveryTap(topology: Topology): Promise<{ close(): void }> {
  let messages = 0;
  let bytes = 0;
  const collector = new TapCollector((data) => {
    messages++;
    bytes += data.length;
  });
  const taps = new Map<string, string>();
  for (const r of topology.realms.values()) taps.set(r.name, r.tapUrl as string);
  for (const b of topology.bridges.values()) taps.set(`bridge-${b.name}`, b.tapUrl as string);
  for (const [name, url] of taps)
    await collector.attach(
      name,
      url,
      [...taps.keys()].filter((other) => other !== name),
    );
  return {
    close: () => {
      collector.close();
      console.log(`  tap: ${messages} messages read, ${(bytes / 1e6).toFixed(1)} MB`);
    },
  };
}

/** How the benchmark's clients reach the realms: the client port (TCP), or the web listener's `/live` as browsers do. */
export type BenchTransport = "tcp" | "websocket";

/**
 * Ours: two realms and their two bridges as real processes, the default durable store (SQLite,
 * group commit), rate limits raised for the run; clients speak the live protocol, on TCP or over
 * WebSocket.
 */
export async function startOurRealms(
  dir: string,
  usersPerRealm: number,
  options: {
    readonly transport: BenchTransport;
    /** From the built JavaScript, not from source. */
    readonly built: boolean;
    /** Every process publishes its frames at a tap, and the bench reads them all (the lab view's cost). */
    readonly tap: boolean;
  },
): Promise<BenchSystem> {
  const { transport, built } = options;
  const users = (n: number) => Array.from({ length: usersPerRealm }, (_, i) => ({ user: `r${n}u${i}`, password: PASSWORD }));
  const specs = await writeFederationConfigs(
    dir,
    [
      { name: "realm1", users: users(1) },
      { name: "realm2", users: users(2) },
    ],
    { hashCost: BENCH_HASH_COST, web: transport === "websocket" },
  );
  const topology = new Topology({ built });
  await topology.startFederation(specs, {
    anyPort: true,
    dataRoot: join(dir, "data"),
    realmArgs: [...BENCH_REALM_ARGS, ...CONNECTION_ARGS],
    tap: options.tap,
  });
  const tapped = options.tap ? await readEveryTap(topology) : undefined;
  await untilFederated(topology, { realm: "realm1", user: "r1u0", password: PASSWORD }, "r2u0");
  const failedRequests = { count: 0 };
  const realmOf = (server: 0 | 1): string => (server === 0 ? "realm1" : "realm2");
  const open = async (realm: string): Promise<BenchLink> => {
    const handle = topology.realm(realm);
    if (transport === "tcp") return BenchLiveClient.connect(handle.port);
    return BenchWsClient.connect(Number(new URL(handle.webUrl as string).port));
  };
  return {
    name: transport === "tcp" ? "ours (2 realms + 2 bridges)" : "ours over WebSocket",
    refusedRequests: () => failedRequests.count,
    async connect(user, server) {
      const client = await open(realmOf(server));
      await client.request("auth", { user: `r${server + 1}u${user}`, password: PASSWORD });
      return new LiveBenchClient(client, failedRequests);
    },
    addressOf: (user, server, from) => (server === from ? `r${server + 1}u${user}` : `r${server + 1}u${user}@${realmOf(server)}`),
    groupOn: (server) => (server === 0 ? "bench" : "bench@realm1"),
    pids: () => {
      const out = new Map<string, number>();
      for (const r of topology.realms.values()) out.set(r.name, r.process.pid as number);
      for (const b of topology.bridges.values()) out.set(`bridge ${b.name}`, b.process.pid as number);
      return out;
    },
    stop: async () => {
      tapped?.close();
      await topology.close();
    },
  };
}
