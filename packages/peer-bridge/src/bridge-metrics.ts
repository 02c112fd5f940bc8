import { ProcessMetrics, type MetricsConfig, type Readiness } from "@realmchat/node-runtime";
import { Counter, Gauge } from "prom-client";
import type { LinkStatus } from "./bridge-status.ts";
import type { PeerBridge } from "./peer-bridge.ts";

/**
 * A bridge's metrics (docs/operating.md, "Metrics and health"): the process's own, its links and
 * queues (read from `status()` at each scrape), what it carried (BridgeMeter) and its commit
 * times. Made before the queue's store opens, then given the bridge.
 */
export class BridgeMetrics extends ProcessMetrics {
  constructor(realm: string, at: MetricsConfig) {
    super({ role: "bridge", name: `bridge-${realm}` }, at);
  }

  watch(bridge: PeerBridge): void {
    const registry = this.registry;
    /** A gauge with one sample per link (link="realm" and each link="peer"), read from `status()` at each scrape. */
    const perLink = (name: string, help: string, value: (link: LinkStatus) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ["link", "realm"],
        registers: [registry],
        collect() {
          const status = bridge.status();
          this.reset();
          this.set({ link: "realm", realm: status.realm }, value(status.realmServer));
          for (const p of status.peers) this.set({ link: "peer", realm: p.realm }, value(p));
        },
      });
    };
    perLink("realmchat_bridge_link_up", "1 while a link is up, else 0: the realm server's and each peer bridge's.", (l) =>
      l.linked ? 1 : 0,
    );
    perLink(
      "realmchat_bridge_failed_dials",
      "Dials that failed since the link was last up (0 for links this bridge does not dial).",
      (l) => l.failedDials,
    );
    new Gauge({
      name: "realmchat_bridge_queued_messages",
      help: "Private messages waiting in the durable queue for each peer realm.",
      labelNames: ["realm"],
      registers: [registry],
      collect() {
        this.reset();
        for (const p of bridge.status().peers) this.set({ realm: p.realm }, p.queued);
      },
    });
    const meter = bridge.meter;
    new Counter({
      name: "realmchat_bridge_frames_total",
      help: 'Frames taken from the realm server (from="realm") and from peer bridges (from="peer"), by frame type.',
      labelNames: ["from", "type"],
      registers: [registry],
      collect() {
        this.reset();
        for (const from of ["realm", "peer"] as const) for (const [type, n] of meter.frames[from]) this.inc({ from, type }, n);
      },
    });
    new Counter({
      name: "realmchat_messages_total",
      help: 'Private messages carried: from the realm server to peers (direction="out"), from peers to the realm ("in").',
      labelNames: ["kind", "direction", "peer"],
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ kind: "private", direction: "out", peer: "realm" }, meter.privateMessages.realm);
        this.inc({ kind: "private", direction: "in", peer: "realm" }, meter.privateMessages.peer);
      },
    });
  }

  /** Ready while the realm server is linked: without it nothing reaches or leaves the realm (peers queue meanwhile). */
  static readiness(bridge: PeerBridge): Readiness {
    return async () => (bridge.status().realmServer.linked ? [] : ["realm server not linked"]);
  }
}
