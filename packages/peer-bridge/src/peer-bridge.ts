import type { Socket } from "node:net";
import type { FederationFrame, FrameOf } from "@realmchat/protocol";
import {
  describeError,
  FederationLink,
  FlushScheduler,
  type LinkHandler,
  type LinkRole,
  type LinkTiming,
  type Logger,
  type StreamObserver,
} from "@realmchat/node-runtime";
import { Backoff } from "./backoff.ts";
import { BridgeMeter } from "./bridge-meter.ts";
import type { BridgeStatus, LinkStatus } from "./bridge-status.ts";
import { dialsPeer, type BridgeConfig, type PeerConfig } from "./bridge-config.ts";
import type { BridgeStore } from "./bridge-store.ts";
import { ExpiryNotices } from "./expiry-notices.ts";
import { OutboxPumpScheduler } from "./outbox-pump-scheduler.ts";
import { PeerIntake } from "./peer-intake.ts";
import { PeerOutbox } from "./peer-outbox.ts";
import { createPeerState, type PeerState } from "./peer-state.ts";
import { RealmDelivery } from "./realm-delivery.ts";
import { RealmIntake } from "./realm-intake.ts";
import { Redialer, type DialTarget } from "./redialer.ts";

export interface PeerBridgeOptions extends LinkTiming {
  readonly config: BridgeConfig;
  readonly store: BridgeStore;
  readonly logger: Logger;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  /** Private messages in flight to one peer before waiting for acknowledgements. */
  readonly window: number;
  /** A message still queued after this long is given up, and its sender told. */
  readonly expiryMs: number;
  /** Shown each link's stream (the tap, with `--tap`). */
  readonly observe?: StreamObserver;
}

/**
 * The bridge of one realm (docs/protocol.md, "Federation"): a link to its realm server and one to
 * each peer bridge. It trusts a peer only for frames of that peer's own origin, drops echoes and
 * duplicates, and keeps private messages in a durable queue per peer until the peer's realm has
 * stored them.
 */
export class PeerBridge implements LinkHandler {
  readonly realm: string;
  readonly scheduler = new FlushScheduler();
  /** What it carried, counted for the metrics listener. */
  readonly meter = new BridgeMeter();
  readonly #options: PeerBridgeOptions;
  readonly #logger: Logger;
  readonly #peers = new Map<string, PeerState>();
  readonly #redialers: Redialer[] = [];
  readonly #toRealm = new RealmDelivery();
  readonly #pumps = new OutboxPumpScheduler();
  readonly #expiry: ExpiryNotices;
  readonly #intake: PeerIntake;
  readonly #realmIntake: RealmIntake;
  readonly #sweeper: NodeJS.Timeout;
  #realmLink: FederationLink | undefined;
  #ownDirectory: FrameOf<"directory"> | undefined;
  #started = false;
  #realmChangedAt = Date.now();
  readonly #startedAt = Date.now();

  constructor(options: PeerBridgeOptions) {
    this.#options = options;
    this.realm = options.config.realm;
    this.#logger = options.logger;
    this.#expiry = new ExpiryNotices(this.realm, options.expiryMs, options.logger);
    this.#intake = new PeerIntake({
      realm: this.realm,
      logger: options.logger,
      store: options.store,
      toRealm: this.#toRealm,
      pumps: this.#pumps,
      realmLink: () => this.#realmLink,
    });
    this.#realmIntake = new RealmIntake({
      realm: this.realm,
      logger: options.logger,
      peers: this.#peers,
      toRealm: this.#toRealm,
      pumps: this.#pumps,
      expiry: this.#expiry,
      realmLink: () => this.#realmLink,
      ownDirectory: (frame) => {
        this.#ownDirectory = frame;
        for (const peer of this.#peers.values()) peer.link?.send(frame);
      },
    });
    const directories = new Map(options.store.directories().map((d) => [d.realm, d]));
    for (const peer of options.config.peers) this.#adopt(peer, directories.get(peer.realm));
    this.#sweeper = setInterval(() => this.#expire(), Math.max(50, Math.min(60_000, Math.floor(options.expiryMs / 4))));
    this.#sweeper.unref();
  }

  start(): void {
    const { realmServer } = this.#options.config;
    // The instances of one realm share its certificate, so one pin serves them all.
    const { fingerprint } = realmServer;
    this.#redial([realmServer, ...realmServer.otherInstances.map((instance) => ({ ...instance, fingerprint }))], "realm server", {
      kind: "dialer",
      peer: this.realm,
      secret: realmServer.secret,
    });
    for (const peer of this.#peers.values()) this.#dialPeer(peer);
    this.#started = true;
  }

  /** Takes on a peer named by a reload (docs/design/federation.md): its queue, and its link, dialed or accepted. False if known. */
  addPeer(peer: PeerConfig): boolean {
    if (peer.realm === this.realm || this.#peers.has(peer.realm)) return false;
    const state = this.#adopt(
      peer,
      this.#options.store.directories().find((d) => d.realm === peer.realm),
    );
    if (this.#started) this.#dialPeer(state);
    return true;
  }

  #adopt(peer: PeerConfig, directory: FrameOf<"directory"> | undefined): PeerState {
    const outbox = new PeerOutbox(this.realm, peer.realm, this.#options.store, this.#options.window);
    const state = createPeerState(peer, outbox, directory);
    this.#peers.set(peer.realm, state);
    return state;
  }

  /** Dials `peer` and keeps its link up, if this side dials it (the lower name does). */
  #dialPeer(peer: PeerState): void {
    const { realm, address, fingerprint, secret } = peer.config;
    if (!dialsPeer(this.realm, realm) || address === undefined) return;
    this.#redial({ ...address, fingerprint }, `peer ${realm}`, { kind: "dialer", peer: realm, secret });
  }

  #redial(target: DialTarget | readonly DialTarget[], label: string, role: LinkRole): void {
    const redialer = new Redialer(
      target,
      (socket) => this.#link(socket, label, role),
      new Backoff(this.#options.backoff),
      this.#logger,
      label,
    );
    this.#redialers.push(redialer);
    redialer.start();
  }

  #link(socket: Socket, label: string, role: LinkRole): FederationLink {
    // A peer that dials in is named by its hello (the tap reads it there).
    const remote = role.kind === "acceptor" ? undefined : role.peer === this.realm ? this.realm : `bridge-${role.peer}`;
    this.#options.observe?.(socket, { local: `bridge-${this.realm}`, link: "federation", ...(remote === undefined ? {} : { remote }) });
    return new FederationLink(socket, {
      self: this.realm,
      role,
      handler: this,
      scheduler: this.scheduler,
      logger: this.#logger,
      label,
      heartbeatMs: this.#options.heartbeatMs,
      handshakeTimeoutMs: this.#options.handshakeTimeoutMs,
    });
  }

  /** A peer bridge connected to our listener. */
  acceptPeer(socket: Socket): void {
    socket.setNoDelay(true);
    this.#link(socket, `peer from ${socket.remoteAddress}:${socket.remotePort}`, {
      kind: "acceptor",
      secretFor: (realm) => this.#peers.get(realm)?.config.secret,
    });
  }

  stop(): void {
    clearInterval(this.#sweeper);
    for (const r of this.#redialers) r.stop();
    this.#realmLink?.close();
    for (const peer of this.#peers.values()) peer.link?.close();
  }

  /** Its links and queues, for `peer-bridge status`. */
  status(): BridgeStatus {
    const failures = (label: string): Pick<LinkStatus, "failedDials" | "lastError"> => {
      const found = this.#redialers.find((r) => r.label === label)?.failures;
      return { failedDials: found?.failedDials ?? 0, lastError: found?.lastError };
    };
    return {
      realm: this.realm,
      uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
      realmServer: { linked: this.#realmLink !== undefined, since: this.#realmChangedAt, ...failures("realm server") },
      peers: [...this.#peers.values()].map((p) => ({
        realm: p.config.realm,
        linked: p.link !== undefined,
        since: p.changedAt,
        ...failures(`peer ${p.config.realm}`),
        queued: p.outbox.size,
      })),
    };
  }

  /** Messages waiting for one peer (for logs and tests). */
  queued(realm: string): number {
    return this.#peers.get(realm)?.outbox.size ?? 0;
  }

  onLinkReady(link: FederationLink): void {
    if (link.options.role.kind === "dialer" && link.peer === this.realm) {
      this.#realmLink = link;
      this.#realmChangedAt = Date.now();
      for (const peer of this.#peers.values()) {
        if (peer.directory !== undefined) link.send(peer.directory);
        if (peer.link !== undefined) link.send({ t: "peer", realm: peer.config.realm, up: peer.realmUp });
        peer.link?.send({ t: "peer", realm: this.realm, up: true });
      }
      this.#toRealm.resend(this.realm, link);
      for (const notice of this.#expiry.all()) link.send(notice);
      return;
    }
    const peer = this.#peers.get(link.peer as string);
    if (peer === undefined) {
      link.close();
      return;
    }
    if (peer.link !== undefined && peer.link !== link) {
      const old = peer.link;
      peer.link = undefined;
      old.close();
    }
    peer.link = link;
    peer.changedAt = Date.now();
    peer.realmUp = true;
    if (this.#ownDirectory !== undefined) link.send(this.#ownDirectory);
    // Whether our realm server is here: a peer's realm answers its senders "queued" while it is not.
    link.send({ t: "peer", realm: this.realm, up: this.#realmLink !== undefined });
    this.#realmLink?.send({ t: "peer", realm: peer.config.realm, up: true });
    peer.outbox.pump(link);
  }

  onLinkClosed(link: FederationLink): void {
    if (link === this.#realmLink) {
      this.#realmLink = undefined;
      this.#realmChangedAt = Date.now();
      for (const peer of this.#peers.values()) peer.link?.send({ t: "peer", realm: this.realm, up: false });
      return;
    }
    const peer = this.#peers.get(link.peer as string);
    if (peer === undefined || peer.link !== link) return;
    peer.link = undefined;
    peer.changedAt = Date.now();
    peer.outbox.linkLost().then(
      (ids) => {
        for (const id of ids) this.#realmLink?.send({ t: "ack", id, origin: this.realm, status: "queued" });
      },
      (err: unknown) =>
        this.#logger.error("taking over messages in flight failed; the realm will offer them again", {
          peer: peer.config.realm,
          error: describeError(err),
        }),
    );
    this.#realmLink?.send({ t: "peer", realm: peer.config.realm, up: false });
  }

  onLinkFrame(link: FederationLink, frame: FederationFrame): void {
    const messages = frame.t === "batch" ? frame.items.length : frame.t === "dm" ? 1 : 0;
    if (link === this.#realmLink) {
      this.meter.count("realm", frame.t, messages);
      this.#realmIntake.onFrame(frame);
    } else {
      const peer = this.#peers.get(link.peer as string);
      if (peer === undefined || peer.link !== link) return;
      this.meter.count("peer", frame.t, messages);
      this.#intake.onFrame(peer, frame);
    }
  }

  #expire(): void {
    for (const notice of this.#expiry.sweep([...this.#peers.values()].map((p) => p.outbox))) this.#realmLink?.send(notice);
  }
}
