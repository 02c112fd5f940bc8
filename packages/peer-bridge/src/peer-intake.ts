import { isGroupFrame, type AckResult, type BatchItem, type FederationFrame } from "@realmchat/protocol";
import type { FederationLink, Logger } from "@realmchat/node-runtime";
import type { BridgeStore } from "./bridge-store.ts";
import type { OutboxPumpScheduler } from "./outbox-pump-scheduler.ts";
import { acceptableFromPeer } from "./peer-frame-guard.ts";
import type { PeerState } from "./peer-state.ts";
import type { RealmDelivery } from "./realm-delivery.ts";

/** What the intake needs of its bridge. */
export interface PeerIntakeContext {
  readonly realm: string;
  readonly logger: Logger;
  readonly store: Pick<BridgeStore, "saveDirectory">;
  /** Messages from peers until our realm has answered for them. */
  readonly toRealm: RealmDelivery;
  readonly pumps: OutboxPumpScheduler;
  /** The link to our realm server, while there is one. */
  realmLink(): FederationLink | undefined;
}

/**
 * Frames from a peer bridge, checked by the guard: its directory and realm state, its realm's
 * private messages for ours (a repeat gets its earlier answer), and its realm's answers about
 * ours, which free our outbox and go on to our realm.
 */
export class PeerIntake {
  readonly #context: PeerIntakeContext;

  constructor(context: PeerIntakeContext) {
    this.#context = context;
  }

  onFrame(peer: PeerState, frame: FederationFrame): void {
    if (!acceptableFromPeer(this.#context.realm, peer.config.realm, frame, this.#context.logger)) return;
    if (isGroupFrame(frame)) {
      if (peer.seenGroupFrames.remember(frame.id, true)) this.#context.realmLink()?.send(frame);
      return;
    }
    switch (frame.t) {
      case "directory":
        peer.directory = frame;
        this.#context.store.saveDirectory(frame);
        this.#context.realmLink()?.send(frame);
        return;
      case "peer":
        peer.realmUp = frame.up;
        this.#context.realmLink()?.send(frame);
        return;
      case "dm":
        this.#intake(peer, [
          { id: frame.id, from: frame.from, fromName: frame.fromName, user: frame.user, text: frame.text, sentAt: frame.sentAt },
        ]);
        return;
      case "batch":
        this.#intake(peer, frame.items);
        return;
      case "ack":
        if (frame.origin === this.#context.realm)
          this.#peerAnswered(peer, [{ id: frame.id, status: frame.status === "rejected" ? "rejected" : "stored" }]);
        return;
      case "acks":
        // Only answers about messages we queued for this very peer count.
        if (frame.origin === this.#context.realm) this.#peerAnswered(peer, frame.results);
        return;
      default:
        this.#context.logger.warn("unexpected frame from a peer", { from: peer.config.realm, t: frame.t });
    }
  }

  /** Messages from a peer: repeats get their earlier answer, new ones go to our realm. */
  #intake(peer: PeerState, items: readonly BatchItem[]): void {
    const origin = peer.config.realm;
    const known: AckResult[] = [];
    const fresh: BatchItem[] = [];
    for (const item of items) {
      const seen = peer.inbound.get(item.id);
      if (seen === undefined) {
        peer.inbound.remember(item.id, "pending");
        this.#context.toRealm.add(origin, item);
        fresh.push(item);
      } else if (seen !== "pending") known.push(seen);
    }
    if (known.length > 0) peer.link?.send({ t: "acks", origin, results: known });
    if (fresh.length > 0) this.#context.realmLink()?.send({ t: "batch", origin, to: this.#context.realm, items: fresh });
  }

  #peerAnswered(peer: PeerState, results: readonly AckResult[]): void {
    // Final answers go to our realm whether it still waits or was told `queued` (then it tells
    // the sender the message got there).
    const forRealm: AckResult[] = [];
    for (const r of results) {
      const entry = peer.outbox.acknowledged(r.id);
      if (entry === undefined) continue;
      forRealm.push(r);
      if (!entry.realmWaiting && r.status === "rejected")
        this.#context.logger.warn("queued message refused by its realm", { id: r.id, to: peer.config.realm, code: r.code });
    }
    if (forRealm.length > 0) this.#context.realmLink()?.send({ t: "acks", origin: this.#context.realm, results: forRealm });
    this.#context.pumps.schedule(peer);
  }
}
