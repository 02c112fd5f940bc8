import { chmod, mkdtemp, rm } from "node:fs/promises";
import { BENCH_REALM_ARGS } from "../bench/bench-limits.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InboxEntry } from "@realmchat/protocol";
import { startLocalPostgres, type LocalPostgres } from "../local-postgres.ts";
import { Topology } from "../topology.ts";
import { untilFederated } from "../federation-ready.ts";
import { writeFederationConfigs, type RealmSpec } from "../topology-config.ts";
import { parseChaosText, sendLoad, type ChaosUser, type SentRecord } from "./chaos-load.ts";
import { SeededRandom } from "./seeded-random.ts";

export interface ChaosOptions {
  /** Messages in all (spread over the senders). */
  readonly messages: number;
  /** Mean time between kills, in ms; 0 for none. */
  readonly killEveryMs: number;
  readonly seed: number;
  /** Keep realm2 and its bridge down for the whole load, and start them only at the end. */
  readonly peerDownThroughout?: boolean;
  /** Instances of each realm server on a shared PostgreSQL (cluster mode); 1 by default. */
  readonly instances?: number;
  /** How long to wait for queues to drain after the load. */
  readonly settleMs?: number;
  readonly say?: (line: string) => void;
}

export interface ChaosReport {
  readonly sent: number;
  readonly acknowledged: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  readonly kills: number;
  readonly seconds: number;
}

/** A restarted process works this long before it may be killed again. */
const MIN_UP_MS = 400;
/** At most this many processes are down at once. */
const MAX_DOWN = 2;

const USERS: readonly ChaosUser[] = [
  { realm: "realm1", user: "messi", password: "surabaya" },
  { realm: "realm1", user: "henderson", password: "surabaya" },
  { realm: "realm2", user: "james", password: "medan" },
  { realm: "realm2", user: "taeno", password: "tokyo" },
];

const REALMS: RealmSpec[] = [
  { name: "realm1", users: USERS.filter((u) => u.realm === "realm1") },
  { name: "realm2", users: USERS.filter((u) => u.realm === "realm2") },
];

/** Each user writes to one local and one remote user. */
const RECIPIENTS: Record<string, readonly string[]> = {
  messi: ["henderson", "james"],
  henderson: ["messi", "taeno@realm2"],
  james: ["taeno", "messi@realm1"],
  taeno: ["james", "henderson"],
};

/**
 * Runs a cross-realm and local message load on two realms with their bridges, kills realm
 * servers (each instance, in cluster mode) and bridges with SIGKILL at random moments and
 * restarts them, then checks every inbox: each acknowledged message must be there exactly once,
 * in order.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const say = options.say ?? (() => undefined);
  const random = new SeededRandom(options.seed);
  const dir = await mkdtemp(join(tmpdir(), "realmchat-chaos-"));
  const topology = new Topology();
  const started = Date.now();
  let kills = 0;
  const instances = options.instances ?? 1;
  let postgres: LocalPostgres | undefined;
  try {
    const specs = await writeFederationConfigs(dir, REALMS);
    if (instances > 1) {
      // PostgreSQL runs as its own user (never root), which must reach its folder inside ours.
      await chmod(dir, 0o755);
      postgres = await startLocalPostgres(join(dir, "postgres"));
    }
    const pg = postgres;
    // Chaos counts losses, not limits: rates and inbox size are raised as for the benchmark.
    await topology.startFederation(specs, {
      anyPort: true,
      dataRoot: join(dir, "data"),
      heartbeatMs: 300,
      maxBackoffMs: 300,
      realmArgs: BENCH_REALM_ARGS,
      instances,
      ...(pg === undefined ? {} : { storeUrlOf: (realm: string) => pg.database(realm) }),
    });
    await untilFederated(topology, { realm: "realm1", user: "messi", password: "surabaya" }, "james");
    await (await topology.connect("realm2", "james", "medan")).inbox();
    const instanceNames = (realm: string): string[] => topology.instancesOf(realm).map((r) => r.name);
    if (options.peerDownThroughout === true) {
      await topology.bridge("realm2").process.kill();
      for (const name of instanceNames("realm2")) await topology.realm(name).process.kill();
    }

    const records: SentRecord[] = [];
    let loadDone = false;
    const senders = options.peerDownThroughout === true ? USERS.filter((u) => u.realm === "realm1") : USERS;
    const perSender = Math.ceil(options.messages / senders.length);
    const load = Promise.all(
      senders.map((u) => sendLoad(topology, u, RECIPIENTS[u.user] as string[], perSender, records, () => false)),
    ).then(() => {
      loadDone = true;
    });

    const targets = [
      ...instanceNames("realm1"),
      "bridge realm1",
      ...(options.peerDownThroughout === true ? [] : [...instanceNames("realm2"), "bridge realm2"]),
    ];
    // Restarts run in the background, so outages overlap (a realm and a bridge down at once); a
    // restarted process stays up a while before it may be killed again, so the load moves on.
    const down = new Set<string>();
    const upSince = new Map<string, number>();
    const restarts: Promise<void>[] = [];
    while (!loadDone && options.killEveryMs > 0) {
      await Promise.race([load, new Promise((r) => setTimeout(r, random.between(options.killEveryMs / 2, (options.killEveryMs * 3) / 2)))]);
      if (loadDone) break;
      const now = Date.now();
      const up = targets.filter((t) => !down.has(t) && now - (upSince.get(t) ?? 0) >= MIN_UP_MS);
      if (up.length === 0 || down.size >= MAX_DOWN) continue;
      const victim = random.pick(up);
      const isBridge = victim.startsWith("bridge ");
      const name = isBridge ? victim.slice(7) : victim;
      down.add(victim);
      await (isBridge ? topology.bridge(name) : topology.realm(name)).process.kill();
      kills++;
      say(`kill ${kills}: ${victim} (-9), ${records.filter((r) => r.acked).length} acknowledged so far`);
      const downFor = random.between(20, 400);
      restarts.push(
        (async () => {
          await new Promise((r) => setTimeout(r, downFor));
          if (isBridge) await topology.restartBridge(name);
          else await topology.restartRealm(name);
          upSince.set(victim, Date.now());
          down.delete(victim);
        })(),
      );
    }
    await Promise.all(restarts);
    await load;
    if (options.peerDownThroughout === true) {
      say("bringing realm2 and its bridge back");
      for (const name of instanceNames("realm2")) await topology.restartRealm(name);
      await topology.restartBridge("realm2");
    }

    const acked = records.filter((r) => r.acked);
    const seen = new Map<string, number>();
    const order = new Map<string, number[]>();
    const deadline = Date.now() + (options.settleMs ?? 60_000);
    const readers = await Promise.all(USERS.map((u) => topology.connect(u.realm, u.user, u.password)));
    for (;;) {
      const batches: InboxEntry[][] = await Promise.all(readers.map((r) => r.inbox()));
      for (const entry of batches.flat()) {
        const parsed = parseChaosText(entry.text);
        if (parsed === undefined) continue;
        seen.set(entry.text, (seen.get(entry.text) ?? 0) + 1);
        const list = order.get(parsed.stream) ?? [];
        list.push(parsed.seq);
        order.set(parsed.stream, list);
      }
      const missing = acked.filter((r) => !seen.has(r.text)).length;
      if (missing === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Anything still in flight arrives within a moment; a late duplicate would show here.
    await new Promise((r) => setTimeout(r, 500));
    for (const entry of (await Promise.all(readers.map((r) => r.inbox()))).flat()) {
      if (parseChaosText(entry.text) !== undefined) seen.set(entry.text, (seen.get(entry.text) ?? 0) + 1);
    }

    let outOfOrder = 0;
    for (const seqs of order.values())
      for (let i = 1; i < seqs.length; i++) if ((seqs[i] as number) < (seqs[i - 1] as number)) outOfOrder++;
    return {
      sent: records.length,
      acknowledged: acked.length,
      delivered: seen.size,
      lost: acked.filter((r) => !seen.has(r.text)).length,
      duplicated: [...seen.values()].filter((n) => n > 1).length,
      outOfOrder,
      kills,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    await topology.close();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
