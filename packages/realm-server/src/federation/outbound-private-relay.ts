import type { Logger } from "@realmchat/node-runtime";
import { DeliveryQueue, formatAddress, isErrorCode, type FrameOf } from "@realmchat/protocol";
import { DEFAULT_LIMITS } from "../limits.ts";
import type { Presence } from "../presence/presence.ts";
import type { OutboxEntry, OutboxStore } from "../store/realm-store.ts";
import { RequestError } from "../request-error.ts";
import type { FederationPort } from "./federation-port.ts";

interface Waiter {
  resolve(result: { readonly queued: boolean }): void;
  reject(error: Error): void;
}

interface OutgoingDm {
  readonly frame: FrameOf<"dm">;
  waiter: Waiter | undefined;
}


function dmFrame(realm: string, entry: OutboxEntry): FrameOf<"dm"> {
  return { t: "dm", id: entry.id, origin: realm, to: entry.to, from: entry.from, fromName: entry.fromName, user: entry.user, text: entry.text, sentAt: entry.sentAt };
}

export interface OutboundPrivateRelayOptions {
  readonly realm: string;
  readonly outbox: OutboxStore;
  readonly port: FederationPort;
  readonly presence: Pick<Presence, "delivered">;
  readonly logger: Logger;
  /** How long a sender waits for the other realm before hearing "queued" (default: the realm's `remoteAnswerMs`). */
  readonly answerWithinMs?: number;
}

/**
 * Private messages of this realm's users for other realms: each is committed to the realm's
 * outbox first, handed to the bridge, and answered once the recipient's realm stored it (or a
 * bridge queued it). With no bridge linked, the committed outbox entry is itself the queue.
 */
export class OutboundPrivateRelay {
  readonly #options: OutboundPrivateRelayOptions;
  readonly #queue = new DeliveryQueue<OutgoingDm>();
  /** Messages whose senders wait for an answer, oldest first, with when they were handed on. */
  #awaited: Array<{ readonly id: string; readonly at: number }> = [];
  #awaitedHead = 0;
  readonly #answerWithinMs: number;
  /**
   * Realms that let a sender wait past `answerWithinMs` and have not answered since: their
   * senders hear "queued" at once, so that one slow realm does not hold up a connection's other
   * requests (each connection serves one request at a time).
   */
  readonly #slowRealms = new Set<string>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: OutboundPrivateRelayOptions) {
    this.#options = options;
    this.#answerWithinMs = options.answerWithinMs ?? DEFAULT_LIMITS.remoteAnswerMs;
    // One timer for all waiting senders, not one per message.
    this.#sweeper = setInterval(() => this.#answerOverdue(), Math.max(10, Math.floor(this.#answerWithinMs / 4)));
    this.#sweeper.unref();
  }

  /**
   * A sender still waiting after `answerWithinMs` is told "queued": the message is committed in
   * this realm's outbox and stays in flight, so that is true; the final answer later becomes a
   * `delivered` event. (The other realm's server may be down while the bridges are up.)
   */
  #answerOverdue(): void {
    const cutoff = Date.now() - this.#answerWithinMs;
    while (this.#awaitedHead < this.#awaited.length && (this.#awaited[this.#awaitedHead] as { at: number }).at <= cutoff) {
      const { id } = this.#awaited[this.#awaitedHead++] as { id: string };
      const entry = this.#queue.get(id);
      const waiter = entry?.item.waiter;
      if (entry === undefined || waiter === undefined) continue;
      entry.item.waiter = undefined;
      this.#slowRealms.add(entry.item.frame.to);
      waiter.resolve({ queued: true });
    }
    if (this.#awaitedHead > 1024 && this.#awaitedHead * 2 > this.#awaited.length) {
      this.#awaited = this.#awaited.slice(this.#awaitedHead);
      this.#awaitedHead = 0;
    }
  }

  close(): void {
    clearInterval(this.#sweeper);
  }

  get size(): number {
    return this.#queue.size;
  }

  /** Takes back the messages a previous run had not handed to the bridge yet, oldest first. */
  async loadOutbox(): Promise<number> {
    const entries = await this.#options.outbox.list();
    for (const entry of entries) if (this.#queue.get(entry.id) === undefined) this.#queue.enqueue(entry.id, { frame: dmFrame(this.#options.realm, entry), waiter: undefined });
    this.flush();
    return entries.length;
  }

  async sendPrivate(message: OutboxEntry): Promise<{ readonly queued: boolean }> {
    await this.#options.outbox.add(message);
    const frame = dmFrame(this.#options.realm, message);
    if (!this.#options.port.linked) {
      this.#queue.enqueue(frame.id, { frame, waiter: undefined });
      return { queued: true };
    }
    // The other realm cannot answer now (its bridge said so, or it kept a sender waiting): the
    // committed outbox entry is the queue, and the sender hears "queued" at once.
    if (!this.#options.port.isPeerUp(frame.to) || this.#slowRealms.has(frame.to)) {
      this.#queue.enqueue(frame.id, { frame, waiter: undefined });
      this.flush();
      return { queued: true };
    }
    return new Promise((resolve, reject) => {
      this.#queue.enqueue(frame.id, { frame, waiter: { resolve, reject } });
      this.#awaited.push({ id: frame.id, at: Date.now() });
      this.flush();
    });
  }

  /** Hands every message not yet sent to the bridge, if one is linked. */
  flush(): void {
    if (!this.#options.port.linked) return;
    for (let entry = this.#queue.takeUnsent(); entry !== undefined; entry = this.#queue.takeUnsent()) this.#options.port.send(entry.item.frame);
  }

  /** `realm` cannot be reached now: senders still waiting for it hear "queued" (their messages stay in flight). */
  peerUnreachable(realm: string): void {
    for (const entry of this.#queue.values()) {
      const waiter = entry.item.waiter;
      if (waiter === undefined || entry.item.frame.to !== realm) continue;
      entry.item.waiter = undefined;
      waiter.resolve({ queued: true });
    }
  }

  /** The bridge link is gone: everything in flight is offered again later, and its senders hear `queued`. */
  linkLost(): void {
    for (const entry of this.#queue.requeueAll()) {
      entry.item.waiter?.resolve({ queued: true });
      entry.item.waiter = undefined;
    }
  }

  /** The final answer about a message a bridge had queued. */
  async #finalAnswer(frame: FrameOf<"ack">): Promise<void> {
    const awaited = await this.#options.outbox.takeDelivery(frame.id);
    if (awaited !== undefined && frame.status === "stored") this.#options.presence.delivered(awaited.from, awaited.id, awaited.to);
  }

  onAck(frame: FrameOf<"ack">): void {
    const { presence, outbox } = this.#options;
    const entry = this.#queue.ack(frame.id);
    if (entry === undefined) {
      // "queued" is never a final answer; with several instances it is often another one's message.
      if (frame.status !== "queued") void this.#finalAnswer(frame);
      return;
    }
    void outbox.remove(frame.id);
    const dm = entry.item.frame;
    if (frame.status !== "queued") this.#slowRealms.delete(dm.to);
    const to = formatAddress(dm.user, dm.to);
    // Kept in the store, so that the sender hears of the delivery even after a restart.
    if (frame.status === "queued") void outbox.awaitDelivery({ id: dm.id, from: dm.from, to });
    const waiter = entry.item.waiter;
    if (waiter === undefined) {
      if (frame.status === "stored") presence.delivered(dm.from, dm.id, to);
      return;
    }
    if (frame.status === "rejected") {
      const code = frame.code !== undefined && isErrorCode(frame.code) ? frame.code : "USER_NOT_FOUND";
      waiter.reject(new RequestError(code, frame.message ?? "rejected by the other realm", { fields: { realm: dm.to } }));
    } else {
      waiter.resolve({ queued: frame.status === "queued" });
    }
  }
}
