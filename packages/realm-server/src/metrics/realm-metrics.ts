import { describeError, ProcessMetrics, type MetricsConfig, type Readiness } from "@realmchat/node-runtime";
import { Counter, Gauge, type Registry } from "prom-client";
import type { Realm } from "../realm.ts";
import type { RealmStore } from "../store/realm-store.ts";

/** How long `/readyz` waits for the store before it calls it unreachable. */
const STORE_ANSWER_MS = 2_000;

/** A counter whose value is read, at each scrape, from a count the realm keeps anyway (RealmMeter). */
function countedFrom(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * A realm's metrics (docs/operating.md, "Metrics and health"): the process's own, what the realm
 * counts (RealmMeter), and gauges read from the realm and its store at each scrape. Made before
 * the store opens (the store reports its commits to `observeCommit`), then given the realm.
 */
export class RealmMetrics extends ProcessMetrics {
  constructor(realm: string, at: MetricsConfig) {
    super({ role: "realm", name: realm }, at);
  }

  /** Registers what is read from the running realm and its store. */
  watch(realm: Realm, store: RealmStore): void {
    const registry = this.registry;
    const meter = realm.meter;
    new Gauge({
      name: "realmchat_connections",
      help: "Open client connections, by protocol.",
      labelNames: ["protocol"],
      registers: [registry],
      collect() {
        for (const [protocol, count] of Object.entries(realm.connectionsByProtocol())) this.set({ protocol }, count);
      },
    });
    new Gauge({
      name: "realmchat_users_online",
      help: "Users with at least one connection that has said who it is.",
      registers: [registry],
      collect() {
        this.set(realm.onlineUsers().length);
      },
    });
    countedFrom(registry, "realmchat_logins_total", "Logins that succeeded.", () => meter.logins);
    countedFrom(registry, "realmchat_login_failures_total", "Logins refused for a wrong user or password.", () => meter.failedLogins);
    new Counter({
      name: "realmchat_messages_total",
      help: "Messages by kind (private, group), direction (in, out) and the other end (client, realm).",
      labelNames: ["kind", "direction", "peer"],
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ kind: "private", direction: "in", peer: "client" }, meter.privateFromClients);
        this.inc({ kind: "group", direction: "in", peer: "client" }, meter.groupFromClients);
        this.inc({ kind: "private", direction: "in", peer: "realm" }, meter.privateFromRealms);
        this.inc({ kind: "group", direction: "in", peer: "realm" }, meter.groupFromRealms);
        this.inc({ kind: "private", direction: "out", peer: "realm" }, meter.privateToRealms);
        this.inc({ kind: "group", direction: "out", peer: "realm" }, meter.groupToRealms);
      },
    });
    new Gauge({
      name: "realmchat_inbox_messages",
      help: "Messages waiting in inboxes: in all, the number of inboxes holding any, and the fullest inbox's count.",
      labelNames: ["of"],
      registers: [registry],
      async collect() {
        const sizes = await store.inboxes.sizes();
        this.set({ of: "all" }, sizes.messages);
        this.set({ of: "inboxes" }, sizes.inboxes);
        this.set({ of: "largest" }, sizes.largest);
      },
    });
    new Gauge({
      name: "realmchat_outbox_messages",
      help: "Private messages for other realms not yet taken by the bridge.",
      registers: [registry],
      collect() {
        this.set(realm.federation.outbound.size);
      },
    });
    new Gauge({
      name: "realmchat_bridge_linked",
      help: "1 while the realm's bridge is linked (or another instance of the realm holds the link), else 0.",
      registers: [registry],
      collect() {
        this.set(realm.federation.linked ? 1 : 0);
      },
    });
    new Gauge({
      name: "realmchat_peer_realms_up",
      help: "Other realms the bridge reaches now.",
      registers: [registry],
      collect() {
        this.set(realm.federation.peersUp().length);
      },
    });
    countedFrom(registry, "realmchat_rate_limited_total", "Requests over the user's rate, served late.", () => meter.rateLimited);
    countedFrom(
      registry,
      "realmchat_refused_connections_total",
      "Client connections refused at the connection limits.",
      () => meter.refusedConnections,
    );
    new Counter({
      name: "realmchat_refused_requests_total",
      help: "Requests answered with an error, by wire error code (docs/protocol.md, 'Error codes').",
      labelNames: ["code"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [code, count] of meter.refusals) this.inc({ code }, count);
      },
    });
  }

  /** Ready while the store answers and, for a realm with a bridge, the bridge is linked. */
  static readiness(realm: Realm, store: RealmStore, hasBridge: boolean): Readiness {
    return async () => {
      const reasons: string[] = [];
      try {
        await withTimeout(store.inboxes.sizes(), STORE_ANSWER_MS, "the store");
      } catch (err) {
        reasons.push(`store unreachable (${describeError(err)})`);
      }
      if (hasBridge && !realm.federation.linked) reasons.push("bridge not linked");
      return reasons;
    };
  }
}
