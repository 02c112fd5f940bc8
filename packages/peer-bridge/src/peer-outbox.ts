import { DeliveryQueue, MAX_BATCH_ITEMS, type BatchItem, type FrameOf } from "@realmchat/protocol";
import type { BridgeStore } from "./bridge-store.ts";
import type { FederationLink } from "@realmchat/node-runtime";

interface QueuedDm {
  readonly frame: FrameOf<"dm">;
  readonly enqueuedAt: number;
  /** The realm still waits for an answer (it gets `queued` if the peer is down). */
  realmWaiting: boolean;
}

/**
 * Private messages of our realm for one peer realm: durable (BridgeStore) and in memory
 * (DeliveryQueue) until the peer's realm acknowledges them; sent in `batch` frames while the link
 * is up, at most `window` in flight.
 */
export class PeerOutbox {
  readonly peer: string;
  readonly #self: string;
  readonly #store: BridgeStore;
  readonly #window: number;
  readonly #queue = new DeliveryQueue<QueuedDm>();

  constructor(self: string, peer: string, store: BridgeStore, window: number) {
    this.#self = self;
    this.peer = peer;
    this.#store = store;
    this.#window = window;
    for (const dm of store.queued(peer)) this.#queue.enqueue(dm.frame.id, { ...dm, realmWaiting: false });
  }

  get size(): number {
    return this.#queue.size;
  }

  /**
   * Commits a message of our realm; resolves with false for one already queued (a resend from
   * the realm), which then counts as waited for again.
   */
  async add(frame: FrameOf<"dm">, realmWaiting: boolean): Promise<boolean> {
    const existing = this.#queue.get(frame.id);
    if (existing !== undefined) {
      existing.item.realmWaiting = realmWaiting;
      return false;
    }
    const enqueuedAt = Date.now();
    await this.#store.enqueue(this.peer, { frame, enqueuedAt });
    this.#queue.enqueue(frame.id, { frame, enqueuedAt, realmWaiting });
    return true;
  }

  /** The peer's realm answered: the message leaves the queue. Returns whether the realm waits for it. */
  acknowledged(id: string): { readonly realmWaiting: boolean } | undefined {
    const entry = this.#queue.ack(id);
    if (entry === undefined) return undefined;
    void this.#store.remove(this.peer, id);
    return { realmWaiting: entry.item.realmWaiting };
  }

  /** Sends what the window allows, batched. */
  pump(link: FederationLink): void {
    let items: BatchItem[] = [];
    while (this.#queue.inFlight < this.#window) {
      const entry = this.#queue.takeUnsent();
      if (entry === undefined) break;
      const f = entry.item.frame;
      items.push({ id: f.id, from: f.from, fromName: f.fromName, user: f.user, text: f.text, sentAt: f.sentAt });
      if (items.length === MAX_BATCH_ITEMS) {
        link.send({ t: "batch", origin: this.#self, to: this.peer, items });
        items = [];
      }
    }
    if (items.length > 0) link.send({ t: "batch", origin: this.#self, to: this.peer, items });
  }

  /** The link dropped: everything goes back to unsent; returns the ids the realm was waiting for. */
  linkLost(): string[] {
    this.#queue.requeueAll();
    const waiting: string[] = [];
    for (const entry of this.#queue.values()) {
      if (entry.item.realmWaiting) {
        entry.item.realmWaiting = false;
        waiting.push(entry.id);
      }
    }
    return waiting;
  }

  /** Takes out messages queued before `cutoff` that are not in flight (the realm is told, see PeerBridge). */
  takeExpired(cutoff: number): FrameOf<"dm">[] {
    const expired: FrameOf<"dm">[] = [];
    for (const entry of this.#queue.values()) {
      if (entry.item.enqueuedAt >= cutoff) break;
      if (!entry.sent) expired.push(entry.item.frame);
    }
    for (const frame of expired) this.#queue.ack(frame.id);
    return expired;
  }

  /** The sender has been told: the expired message may go. */
  forget(id: string): Promise<void> {
    return this.#store.remove(this.peer, id);
  }
}
