import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LiveClient, type ClassicClient } from "@realmchat/cli";
import { afterEach } from "vitest";
import type { InboxEntry, LiveEvent } from "@realmchat/protocol";
import { Topology } from "../src/topology.ts";
import { writeFederationConfigs, type ConfigWriterOptions, type RealmSpec } from "../src/topology-config.ts";

export const SEED_REALMS: RealmSpec[] = [
  {
    name: "realm1",
    users: [
      { user: "messi", password: "surabaya", name: "Lionel Messi" },
      { user: "henderson", password: "surabaya", name: "Jordan Henderson" },
      { user: "lineker", password: "surabaya", name: "Gary Lineker" },
    ],
  },
  {
    name: "realm2",
    users: [
      { user: "james", password: "medan", name: "James Maranata" },
      { user: "jantuar", password: "moskow", name: "Jantuar Silaban" },
      { user: "taeno", password: "tokyo", name: "Suzuki Taeno" },
    ],
  },
];

export interface FederationFixture extends AsyncDisposable {
  readonly topology: Topology;
  readonly dir: string;
  close(): Promise<void>;
}

/** Realms and bridges as child processes on free ports, with short heartbeats and backoff. */
export async function startFederation(
  realms: readonly RealmSpec[] = SEED_REALMS,
  options: ConfigWriterOptions = {},
  extra: {
    readonly expirySeconds?: number;
    /** Cluster mode: instances of each realm, sharing that realm's database. */
    readonly instances?: number;
    readonly storeUrlOf?: (realm: string) => Promise<string>;
    /** More flags for every realm server. */
    readonly realmArgs?: readonly string[];
    /** Every realm and bridge publishes its frames at a tap. */
    readonly tap?: boolean;
    /** Every realm and bridge serves /metrics, /healthz and /readyz. */
    readonly metrics?: boolean;
  } = {},
): Promise<FederationFixture> {
  const dir = await mkdtemp(join(tmpdir(), "realmchat-fed-"));
  const specs = await writeFederationConfigs(dir, realms, options);
  const topology = new Topology();
  const close = async (): Promise<void> => {
    await topology.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await topology.startFederation(specs, { anyPort: true, dataRoot: join(dir, "data"), heartbeatMs: 300, maxBackoffMs: 400, ...extra });
  } catch (err) {
    await close();
    throw err;
  }
  return { topology, dir, close, [Symbol.asyncDispose]: close };
}

/** Polls until `check` passes (directories and links settle asynchronously after start-up). */
export async function eventually<T>(check: () => Promise<T> | T, within = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + within;
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${last instanceof Error ? last.message : String(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Drains `client`'s inbox repeatedly until `count` messages have come, then a little longer for extras. */
export async function collectInbox(client: ClassicClient, count: number, within = 15_000): Promise<InboxEntry[]> {
  const got: InboxEntry[] = [];
  await eventually(
    async () => {
      got.push(...(await client.inbox()));
      if (got.length < count) throw new Error(`${got.length}/${count} messages so far`);
    },
    within,
    `${count} messages`,
  );
  await new Promise((r) => setTimeout(r, 300));
  got.push(...(await client.inbox()));
  return got;
}

/** A logged-in live client and every event pushed to it. */
export interface LiveUser {
  readonly client: LiveClient;
  readonly events: LiveEvent[];
  readonly token: string;
}

/** A federation a test starts, with the live clients it opens; all of it is closed after each test. */
export interface LiveFederation {
  start(realmArgs?: readonly string[]): Promise<Topology>;
  /** Logs `user` in on `realm` over the live protocol. */
  live(realm: string, user: string, password: string): Promise<LiveUser>;
  /** A client the test opened itself, to be closed with the others. */
  opened(client: LiveClient): LiveClient;
}

export function liveFederationPerTest(): LiveFederation {
  let fed: FederationFixture | undefined;
  const clients: LiveClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await fed?.close();
    fed = undefined;
  });
  const opened = (client: LiveClient): LiveClient => {
    clients.push(client);
    return client;
  };
  return {
    async start(realmArgs) {
      fed = await startFederation(SEED_REALMS, {}, realmArgs === undefined ? {} : { realmArgs });
      return fed.topology;
    },
    async live(realm, user, password) {
      const events: LiveEvent[] = [];
      const client = opened(await LiveClient.connect((fed as FederationFixture).topology.realm(realm), (e) => events.push(e)));
      return { client, events, token: await client.auth(user, password) };
    },
    opened,
  };
}

/** Collects pushed group lines. */
export function lines(): { readonly seen: string[]; readonly push: (line: string) => void; has(line: string): Promise<void> } {
  const seen: string[] = [];
  return {
    seen,
    push: (line) => seen.push(line),
    has: (line) =>
      eventually(
        () => {
          if (!seen.includes(line)) throw new Error(`no '${line}' in ${JSON.stringify(seen)}`);
        },
        10_000,
        `'${line}'`,
      ),
  };
}

/** Writes raw request lines to a client port and returns the parsed replies, in order. */
export function rawExchange(port: number, requestLines: readonly string[]): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.setEncoding("utf8");
    socket.on("error", reject);
    socket.on("data", (chunk: string) => {
      text += chunk;
      const parts = text.split("\r\n\r\n");
      if (parts.length > requestLines.length) {
        socket.destroy();
        resolve(parts.slice(0, requestLines.length).map((p) => JSON.parse(p) as Record<string, unknown>));
      }
    });
    socket.write(requestLines.map((l) => `${l}\r\n`).join(""));
  });
}
