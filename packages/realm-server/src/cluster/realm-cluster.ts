import { GROUP_HISTORY_KEPT } from "../groups/group-bus.ts";
import { describeError, type Logger } from "@realmchat/node-runtime";
import { v4 as uuidv4 } from "uuid";
import { ClusterPort } from "./cluster-port.ts";
import { FederatedGroupRelay } from "../federation/federated-group-relay.ts";
import type { Federation } from "../federation/federation.ts";
import { ClusterGroupBus } from "./cluster-group-bus.ts";
import { SharedPresence } from "./shared-presence.ts";
import type { ClusterLog, ClusterRow } from "../store/cluster-log.ts";
import type { GroupHistoryStore } from "../groups/group-bus.ts";
import type { OutboundRelayFactory } from "../federation/outbound-relay.ts";
import type { FederationExtension } from "../federation/federation-extension.ts";
import { SharedOutboxRelay } from "./shared-outbox-relay.ts";
import { handleSharedFrame, isSharedFrame } from "./shared-frames.ts";

/** How often an instance says it is alive. */
const HEARTBEAT_MS = 1000;
/** An instance silent this long is declared gone: its members quit their groups. */
const GONE_AFTER_MS = 5000;

export interface RealmClusterOptions {
  readonly realm: string;
  readonly log: ClusterLog;
  readonly groupHistory: GroupHistoryStore;
  readonly historySize: number;
  readonly logger: Logger;
}

/**
 * One instance of a realm that runs as several on one shared store (docs/design/scale-out.md):
 * the parts the instances share (presence, group fan-out, the federation port), and the loop that
 * reads the cluster log in order and hands each event to the part it is for.
 */
export class RealmCluster {
  readonly instance = uuidv4();
  readonly presence: SharedPresence;
  readonly groups: ClusterGroupBus;
  readonly port: ClusterPort;
  /** Private messages for other realms wait in the shared outbox, sent by whichever instance holds the link. */
  readonly outboundRelay: OutboundRelayFactory = (options) => new SharedOutboxRelay({ ...options, port: this.port });
  readonly #options: RealmClusterOptions;
  #federation: Federation | undefined;
  #timer: NodeJS.Timeout | undefined;
  #beats = 0;

  constructor(options: RealmClusterOptions) {
    this.#options = options;
    const { realm, log } = options;
    this.presence = new SharedPresence(this.instance, log, options.logger);
    this.port = new ClusterPort(this.instance, log, options.logger);
    this.groups = new ClusterGroupBus({
      realm,
      instance: this.instance,
      log,
      relay: new FederatedGroupRelay(realm, this.port),
      store: options.groupHistory,
      historySize: options.historySize,
      holdsLink: () => this.port.holdsLink,
      logger: options.logger,
    });
  }

  /** Joins the cluster: alive first (so nobody reaps this instance's members), then the log from now on. */
  async start(federation: Federation): Promise<void> {
    this.#federation = federation;
    federation.extend(this.#extension);
    const { log, logger } = this.#options;
    await log.heartbeat(this.instance, Date.now());
    const { position, online } = await log.snapshot();
    this.groups.load(online);
    await log.subscribe(
      position,
      (row) => this.#dispatch(row),
      (username, event) => this.presence.pushFromPeer(username, event),
    );
    await log.publish(this.instance, { t: "hello" });
    this.#timer = setInterval(() => this.#tick(), HEARTBEAT_MS);
    this.#timer.unref();
    logger.info("instance joined the realm's cluster", { instance: this.instance });
  }

  /** Tells the other instances what the bridge said to this one that concerns their users, and the moves decided here. */
  readonly #extension: FederationExtension = {
    frameFromBridge: (frame) => {
      if (isSharedFrame(frame)) this.port.share(frame);
    },
    groupMoved: (from, to) => this.port.shareMove(from, to),
  };

  #tick(): void {
    const { log, logger, historySize } = this.#options;
    const now = Date.now();
    log.heartbeat(this.instance, now).catch(this.#heartbeatFailed);
    // Every other beat: an instance gone is noticed within GONE_AFTER_MS plus two beats.
    if (this.#beats++ % 2 === 1) return;
    log
      .reap(now - GONE_AFTER_MS, historySize === 0 ? 0 : Math.max(historySize, GROUP_HISTORY_KEPT), this.instance)
      .then((gone) => {
        for (const instance of gone) logger.warn("an instance of this realm is gone; its members left their groups", { instance });
      })
      .catch(this.#reapFailed);
  }

  // A missed beat or reap is tried again at the next tick; the operator sees that it happened.
  readonly #heartbeatFailed = (err: unknown): void => {
    this.#options.logger.warn("heartbeat not written; tried again at the next beat", { error: describeError(err) });
  };

  readonly #reapFailed = (err: unknown): void => {
    this.#options.logger.warn("looking for gone instances failed; tried again soon", { error: describeError(err) });
  };

  #dispatch(row: ClusterRow): void {
    const federation = this.#federation as Federation;
    const own = row.instance === this.instance;
    const event = row.event;
    switch (event.t) {
      case "push":
        if (!own) this.presence.pushFromPeer(event.username, event.event);
        return;
      case "group":
        this.groups.onGroupEvent(event.group, event.instance, event.fact, event.ts);
        return;
      case "out":
        if (!own) this.port.onOut(event.frame);
        return;
      case "move":
        if (!own) federation.merger.relocateHere(event.from, event.to);
        return;
      case "outbox":
        if (!own && this.port.holdsLink) federation.outbound.flush();
        return;
      case "in":
        if (!own) handleSharedFrame(this.#options.realm, federation, event.frame);
        return;
      case "link":
        if (!own) federation.followLink(this.port.onLink(event.holder, event.peers));
        return;
      case "hello":
        if (!own) this.port.onHello();
        return;
      case "user":
      case "logout":
        // The store that caches users and sessions has forgotten them already, as it read the event.
        return;
      case "gone": {
        const change = this.port.onGone(event.instance);
        if (change !== undefined) federation.followLink(change);
        return;
      }
    }
  }

  /** Leaves the cluster; the caller has closed this instance's connections (its members have quit). */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    // The others reap this instance after GONE_AFTER_MS if leaving cannot be written now.
    await this.#options.log.leave(this.instance).catch((err: unknown) => {
      this.#options.logger.warn("leaving the cluster was not written; the others reap this instance", { error: describeError(err) });
    });
  }
}
