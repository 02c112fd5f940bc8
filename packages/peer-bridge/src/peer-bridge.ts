import type { Socket } from "node:net";
import {
  DedupWindow,
  DeliveryQueue,
  FlushScheduler,
  isRoutedFrame,
  type FederationFrame,
  type FrameOf,
  type Logger,
} from "@realmchat/protocol";
import { Backoff } from "./backoff.ts";
import { dialsPeer, type BridgeConfig, type PeerConfig } from "./bridge-config.ts";
import { FederationLink, type LinkHandler, type LinkTiming } from "./federation-link.ts";
import { Redialer } from "./redialer.ts";

interface QueuedDm {
  readonly frame: FrameOf<"dm">;
  /** The realm still waits for an answer (it gets `queued` if the peer is down). */
  realmWaiting: boolean;
}

interface PeerState {
  readonly config: PeerConfig;
  link: FederationLink | undefined;
  /** Private messages from our realm for this peer, until the peer's realm acknowledges them. */
  readonly queue: DeliveryQueue<QueuedDm>;
  directory: FrameOf<"directory"> | undefined;
  /** Ids of private messages from this peer: being stored, or the acknowledgement already given. */
  readonly inbound: DedupWindow<"pending" | FrameOf<"ack">>;
  /** Ids of group frames from this peer. */
  readonly seenGroupFrames: DedupWindow;
}

export interface PeerBridgeOptions extends LinkTiming {
  readonly config: BridgeConfig;
  readonly logger: Logger;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  /** Private messages in flight to one peer before waiting for acknowledgements. */
  readonly window: number;
}

/**
 * The bridge of one realm (docs/protocol.md, "Federation"): a link to its realm server and one to
 * each peer bridge. It trusts a peer only for frames of that peer's own origin, drops echoes and
 * duplicates, and keeps private messages queued per peer until the peer's realm has stored them.
 */
export class PeerBridge implements LinkHandler {
  readonly realm: string;
  readonly #options: PeerBridgeOptions;
  readonly #logger: Logger;
  readonly scheduler = new FlushScheduler();
  readonly #peers = new Map<string, PeerState>();
  readonly #redialers: Redialer[] = [];
  #realmLink: FederationLink | undefined;
  #ownDirectory: FrameOf<"directory"> | undefined;
  /** Private messages from peers handed to our realm and not yet acknowledged by it, in arrival order. */
  readonly #toRealm = new Map<string, FrameOf<"dm">>();

  constructor(options: PeerBridgeOptions) {
    this.#options = options;
    this.realm = options.config.realm;
    this.#logger = options.logger;
    for (const peer of options.config.peers) {
      this.#peers.set(peer.realm, {
        config: peer,
        link: undefined,
        queue: new DeliveryQueue(),
        directory: undefined,
        inbound: new DedupWindow(200_000),
        seenGroupFrames: new DedupWindow(200_000),
      });
    }
  }

  /** Starts dialing the realm server and the peers this bridge dials. */
  start(): void {
    const { realmServer } = this.#options.config;
    this.#redial(realmServer, "realm server", { kind: "dialer", peer: this.realm, secret: realmServer.secret });
    for (const peer of this.#peers.values()) {
      if (dialsPeer(this.realm, peer.config.realm) && peer.config.address !== undefined) {
        this.#redial(peer.config.address, `peer ${peer.config.realm}`, { kind: "dialer", peer: peer.config.realm, secret: peer.config.secret });
      }
    }
  }

  #redial(target: { host: string; port: number }, label: string, role: { kind: "dialer"; peer: string; secret: string }): void {
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

  #link(socket: Socket, label: string, role: ConstructorParameters<typeof FederationLink>[1]["role"]): FederationLink {
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
    for (const r of this.#redialers) r.stop();
    this.#realmLink?.close();
    for (const peer of this.#peers.values()) peer.link?.close();
  }

  /** Messages waiting per peer (for logs and tests). */
  queued(realm: string): number {
    return this.#peers.get(realm)?.queue.size ?? 0;
  }

  onLinkReady(link: FederationLink): void {
    if (link.options.role.kind === "dialer" && link.peer === this.realm) {
      this.#realmLink = link;
      for (const peer of this.#peers.values()) {
        if (peer.directory !== undefined) link.send(peer.directory);
        if (peer.link !== undefined) link.send({ t: "peer", realm: peer.config.realm, up: true });
      }
      for (const frame of this.#toRealm.values()) link.send(frame);
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
    if (this.#ownDirectory !== undefined) link.send(this.#ownDirectory);
    this.#realmLink?.send({ t: "peer", realm: peer.config.realm, up: true });
    this.#pump(peer);
  }

  onLinkClosed(link: FederationLink): void {
    if (link === this.#realmLink) {
      this.#realmLink = undefined;
      return;
    }
    const peer = this.#peers.get(link.peer as string);
    if (peer === undefined || peer.link !== link) return;
    peer.link = undefined;
    peer.queue.requeueAll();
    for (const entry of peer.queue.values()) {
      if (entry.item.realmWaiting) {
        entry.item.realmWaiting = false;
        this.#realmLink?.send({ t: "ack", id: entry.id, origin: this.realm, status: "queued" });
      }
    }
    this.#realmLink?.send({ t: "peer", realm: peer.config.realm, up: false });
  }

  onLinkFrame(link: FederationLink, frame: FederationFrame): void {
    if (link === this.#realmLink) this.#fromRealm(frame);
    else {
      const peer = this.#peers.get(link.peer as string);
      if (peer !== undefined && peer.link === link) this.#fromPeer(peer, frame);
    }
  }

  #pump(peer: PeerState): void {
    const link = peer.link;
    if (link === undefined) return;
    while (peer.queue.inFlight < this.#options.window) {
      const entry = peer.queue.takeUnsent();
      if (entry === undefined) return;
      link.send(entry.item.frame);
    }
  }

  #fromRealm(frame: FederationFrame): void {
    if (isRoutedFrame(frame) && frame.origin !== this.realm) {
      this.#logger.warn("realm sent a frame of another origin; dropped", { t: frame.t, origin: frame.origin });
      return;
    }
    switch (frame.t) {
      case "directory":
        if (frame.realm !== this.realm) return;
        this.#ownDirectory = frame;
        for (const peer of this.#peers.values()) peer.link?.send(frame);
        return;
      case "dm": {
        const peer = this.#peers.get(frame.to);
        if (peer === undefined) {
          this.#realmLink?.send({ t: "ack", id: frame.id, origin: this.realm, status: "rejected", code: "USER_NOT_FOUND", message: `unknown realm '${frame.to}'` });
          return;
        }
        const existing = peer.queue.get(frame.id);
        if (existing !== undefined) existing.item.realmWaiting = peer.link !== undefined;
        else peer.queue.enqueue(frame.id, { frame, realmWaiting: peer.link !== undefined });
        if (peer.link === undefined) this.#realmLink?.send({ t: "ack", id: frame.id, origin: this.realm, status: "queued" });
        else this.#pump(peer);
        return;
      }
      case "ack": {
        // Our realm stored (or refused) a message from a peer.
        this.#toRealm.delete(`${frame.origin}:${frame.id}`);
        const peer = this.#peers.get(frame.origin);
        if (peer === undefined) return;
        peer.inbound.set(frame.id, frame);
        peer.link?.send(frame);
        return;
      }
      case "gjoin":
      case "gleave":
      case "gsay":
      case "gevent": {
        const link = this.#peers.get(frame.to)?.link;
        if (link === undefined) this.#logger.info("group frame for an unreachable realm dropped", { t: frame.t, to: frame.to });
        else link.send(frame);
        return;
      }
      default:
        return;
    }
  }

  #fromPeer(peer: PeerState, frame: FederationFrame): void {
    const peerRealm = peer.config.realm;
    if (isRoutedFrame(frame)) {
      if (frame.origin === this.realm) {
        this.#logger.warn("echo of our own frame dropped", { from: peerRealm, t: frame.t, id: frame.id });
        return;
      }
      if (frame.origin !== peerRealm) {
        this.#logger.warn("forged origin dropped", { from: peerRealm, claimed: frame.origin, t: frame.t, id: frame.id });
        return;
      }
      if (frame.to !== this.realm) {
        this.#logger.warn("frame for another realm dropped", { from: peerRealm, to: frame.to, t: frame.t });
        return;
      }
    }
    switch (frame.t) {
      case "directory":
        if (frame.realm !== peerRealm) {
          this.#logger.warn("forged directory dropped", { from: peerRealm, claimed: frame.realm });
          return;
        }
        peer.directory = frame;
        this.#realmLink?.send(frame);
        return;
      case "dm": {
        const known = peer.inbound.get(frame.id);
        if (known !== undefined) {
          if (known !== "pending") peer.link?.send(known);
          return;
        }
        peer.inbound.remember(frame.id, "pending");
        this.#toRealm.set(`${peerRealm}:${frame.id}`, frame);
        this.#realmLink?.send(frame);
        return;
      }
      case "ack": {
        // Only an acknowledgement of a message we queued for this very peer counts.
        if (frame.origin !== this.realm) return;
        const entry = peer.queue.ack(frame.id);
        if (entry === undefined) return;
        if (entry.item.realmWaiting) this.#realmLink?.send(frame);
        else if (frame.status === "rejected") this.#logger.warn("queued message refused by its realm", { id: frame.id, to: peerRealm, code: frame.code });
        this.#pump(peer);
        return;
      }
      case "gjoin":
      case "gleave":
      case "gsay":
      case "gevent":
        if (!peer.seenGroupFrames.remember(frame.id, true)) return;
        this.#realmLink?.send(frame);
        return;
      default:
        this.#logger.warn("unexpected frame from a peer", { from: peerRealm, t: frame.t });
    }
  }
}
