import { DeliveryQueue, MAX_BATCH_ITEMS, type BatchItem, type FrameOf } from "@realmchat/protocol";
import type { BridgeStore } from "./bridge-store.ts";
import type { FederationLink, Handled } from "@realmchat/node-runtime";

interface QueuedDm {
  readonly frame: FrameOf<"dm">;
  readonly enqueuedAt: number;
  /** The realm still waits for an answer (it gets `queued` if the peer is down). */
  realmWaiting: boolean;
  /** Committed to the BridgeStore: the bridge has taken the message over (the realm heard `queued`). */
  durable: boolean;
}

/**
 * Private messages of our realm for one peer realm, in memory (DeliveryQueue) until the peer's
 * realm acknowledges them, and sent in `batch` frames while the link is up, at most `window` in
 * flight. A message is committed to the BridgeStore only when the bridge takes it over from our
 * realm, that is when the realm is told `queued` (the peer is unreachable, or the link drops with
 * the message in flight): until then the realm holds it, its sender still waiting, and resends it
 * to a restarted bridge, so a commit here would buy nothing (docs/design/durability.md).
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
    for (const dm of store.queued(peer)) this.#queue.enqueue(dm.frame.id, { ...dm, realmWaiting: false, durable: true });
  }

  get size(): number {
    return this.#queue.size;
  }

  /**
   * Takes a message of our realm while the peer is linked: the realm waits for the final answer
   * and keeps the message meanwhile, so nothing is written and nothing waits. Returns false for a
   * message already queued (a resend from the realm), which then counts as waited for again.
   */
  hold(frame: FrameOf<"dm">): boolean {
    const existing = this.#queue.get(frame.id);
    if (existing !== undefined) {
      existing.item.realmWaiting = true;
      return false;
    }
    this.#queue.enqueue(frame.id, { frame, enqueuedAt: Date.now(), realmWaiting: true, durable: false });
    return true;
  }

  /**
   * Takes a message of our realm over while the peer is unreachable: it is committed before the
   * promise resolves, when the realm may be told `queued`. Resolves with false for a message
   * already queued (a resend from the realm). Either way it is queued at once, so messages keep the
   * order the realm sent them in.
   */
  async takeOver(frame: FrameOf<"dm">): Promise<boolean> {
    const existing = this.#queue.get(frame.id);
    if (existing !== undefined) {
      existing.item.realmWaiting = false;
      await this.#takeOver(existing.item);
      return false;
    }
    const item: QueuedDm = { frame, enqueuedAt: Date.now(), realmWaiting: false, durable: false };
    this.#queue.enqueue(frame.id, item);
    await this.#takeOver(item);
    return true;
  }

  async #takeOver(item: QueuedDm): Promise<void> {
    if (item.durable) return;
    item.durable = true;
    try {
      await this.#store.enqueue(this.peer, { frame: item.frame, enqueuedAt: item.enqueuedAt });
    } catch (err) {
      item.durable = false;
      throw err;
    }
  }

  /** The peer's realm answered: the message leaves the queue. Returns whether the realm waits for it. */
  acknowledged(id: string): { readonly realmWaiting: boolean } | undefined {
    const entry = this.#queue.ack(id);
    if (entry === undefined) return undefined;
    if (entry.item.durable) this.#store.remove(this.peer, id);
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

  /**
   * The link dropped: everything goes back to unsent, and the bridge takes over what it held only
   * in memory; resolves, once that is committed, with the ids the realm was waiting for (it may
   * now be told `queued`).
   */
  async linkLost(): Promise<string[]> {
    this.#queue.requeueAll();
    const waiting: string[] = [];
    const commits: Promise<void>[] = [];
    for (const entry of this.#queue.values()) {
      if (!entry.item.durable) commits.push(this.#takeOver(entry.item));
      if (entry.item.realmWaiting) {
        entry.item.realmWaiting = false;
        waiting.push(entry.id);
      }
    }
    await Promise.all(commits);
    return waiting;
  }

  /**
   * Takes out messages queued before `cutoff` that are not in flight (the realm is told, see
   * PeerBridge); only ones the bridge took over: the others the realm still holds.
   */
  takeExpired(cutoff: number): FrameOf<"dm">[] {
    const expired: FrameOf<"dm">[] = [];
    for (const entry of this.#queue.values()) {
      if (entry.item.enqueuedAt >= cutoff) break;
      if (!entry.sent && entry.item.durable) expired.push(entry.item.frame);
    }
    for (const frame of expired) this.#queue.ack(frame.id);
    return expired;
  }

  /** The sender has been told: the expired message may go. */
  forget(id: string): Handled {
    return this.#store.remove(this.peer, id);
  }
}
