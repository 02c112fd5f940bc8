import { describeError, type Logger } from "@realmchat/node-runtime";
import { DeliveryQueue, formatAddress, MAX_BATCH_ITEMS, type BatchItem, type FrameOf } from "@realmchat/protocol";
import { DEFAULT_LIMITS } from "../limits.ts";
import type { Presence } from "../presence/presence.ts";
import type { OutboxEntry, OutboxStore } from "../store/realm-store.ts";
import type { FederationPort } from "./federation-port.ts";
import { tellAnswer, type SendReceipt, type WaitingSender } from "./relay-receipt.ts";

/** What a relay needs of the federation port. */
export type RelayPort = Pick<FederationPort, "send" | "linked" | "isPeerUp">;

export interface OutboundRelayOptions {
  readonly realm: string;
  readonly outbox: OutboxStore;
  readonly port: RelayPort;
  readonly presence: Pick<Presence, "delivered">;
  readonly logger: Logger;
  /** How long a sender waits for the other realm before hearing "queued" (default: the realm's `remoteAnswerMs`). */
  readonly answerWithinMs?: number;
}

/** Makes the realm's outbound relay: the in-process one by default; the cluster add-on brings its own. */
export type OutboundRelayFactory = (options: OutboundRelayOptions) => OutboundRelay;

export function dmFrame(realm: string, entry: OutboxEntry): FrameOf<"dm"> {
  return {
    t: "dm",
    id: entry.id,
    origin: realm,
    to: entry.to,
    from: entry.from,
    fromName: entry.fromName,
    user: entry.user,
    text: entry.text,
    sentAt: entry.sentAt,
  };
}

/**
 * Private messages of this realm's users for other realms, handed to the bridge and answered once
 * the recipient's realm stored it (or a bridge queued it). What is common to every way of doing
 * it: senders waiting for an answer, told "queued" past `answerWithinMs` or when the other realm
 * or the link goes away, and the answers. Where a message waits before the bridge takes it (in
 * memory, or committed first) is each kind's own.
 */
export abstract class OutboundRelay {
  protected readonly options: OutboundRelayOptions;
  protected readonly queue = new DeliveryQueue<FrameOf<"dm">>();
  /** Senders waiting for an answer, oldest first (a Map keeps insertion order). */
  readonly #waiting = new Map<string, WaitingSender>();
  readonly #answerWithinMs: number;
  /**
   * Realms that let a sender wait past `answerWithinMs` and have not answered since: their
   * senders hear "queued" at once, so that one slow realm does not hold up a classic connection's
   * other requests (a classic connection waits for each answer; a live one only past 256).
   */
  readonly #slowRealms = new Set<string>();
  readonly #sweeper: NodeJS.Timeout;
  #flushQueued = false;

  constructor(options: OutboundRelayOptions) {
    this.options = options;
    this.#answerWithinMs = options.answerWithinMs ?? DEFAULT_LIMITS.remoteAnswerMs;
    // One timer for all waiting senders, not one per message.
    this.#sweeper = setInterval(() => this.#answerOverdue(), Math.max(10, Math.floor(this.#answerWithinMs / 4)));
    this.#sweeper.unref();
  }

  /** Takes back the messages a previous run had not handed to the bridge yet; how many. */
  abstract loadOutbox(): Promise<number>;

  /** Tells `receipt` when the other realm stored the message, or a queue holds it (`queued`). */
  abstract sendPrivate(message: OutboxEntry, receipt: SendReceipt): void;

  /** Hands every message not yet sent to the bridge, if one is linked. */
  abstract flush(): void;

  /** Commits a message held in memory only (this realm takes it over); undefined when it is committed already. */
  protected abstract commitHeld(id: string): Promise<void> | undefined;

  /** The other realm answered a message sent from here: true when it was held in memory only (no outbox entry to remove). */
  protected abstract answered(id: string): boolean;

  get size(): number {
    return this.queue.size;
  }

  close(): void {
    clearInterval(this.#sweeper);
  }

  /**
   * A sender still waiting after `answerWithinMs` is told "queued": the message is committed in
   * this realm's outbox and stays in flight, so that is true; the final answer later becomes a
   * `delivered` event. (The other realm's server may be down while the bridges are up.)
   */
  #answerOverdue(): void {
    const cutoff = Date.now() - this.#answerWithinMs;
    for (const [id, waiting] of this.#waiting) {
      if (waiting.at > cutoff) break;
      this.#waiting.delete(id);
      this.#slowRealms.add(waiting.to);
      this.#tellQueued(waiting, this.commitHeld(id));
    }
  }

  #tellQueued(waiting: WaitingSender, stored: Promise<void> | undefined): void {
    if (stored === undefined) waiting.receipt.sent(waiting.id, true);
    else
      stored.then(
        () => waiting.receipt.sent(waiting.id, true),
        (err: unknown) => waiting.receipt.failed(err),
      );
  }

  /** Whether `to` can answer now: linked, its bridge says it is up, and it has not kept a sender waiting. */
  protected canAnswer(to: string): boolean {
    const { port } = this.options;
    return port.linked && port.isPeerUp(to) && !this.#slowRealms.has(to);
  }

  protected awaitAnswer(message: OutboxEntry, receipt: SendReceipt): void {
    this.#waiting.set(message.id, { id: message.id, to: message.to, at: Date.now(), receipt });
    // Once per turn, for all its messages: they leave in as few `batch` frames as they fit.
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flushNow);
    }
  }

  readonly #flushNow = (): void => {
    this.#flushQueued = false;
    this.flush();
  };

  /** Everything not yet sent, in order, as `batch` frames: one per run of messages for the same realm. */
  protected sendUnsent(): void {
    const { port, realm } = this.options;
    let to = "";
    let items: BatchItem[] = [];
    for (let entry = this.queue.takeUnsent(); entry !== undefined; entry = this.queue.takeUnsent()) {
      const dm = entry.item;
      if (dm.to !== to || items.length === MAX_BATCH_ITEMS) {
        if (items.length > 0) port.send({ t: "batch", origin: realm, to, items });
        to = dm.to;
        items = [];
      }
      items.push({ id: dm.id, from: dm.from, fromName: dm.fromName, user: dm.user, text: dm.text, sentAt: dm.sentAt });
    }
    if (items.length > 0) port.send({ t: "batch", origin: realm, to, items });
  }

  // Nobody waits on these writes: a failure costs a resend (dropped as a duplicate there) or a delivery notice, never a message.
  readonly #answerNotStored = (err: unknown): void => {
    this.options.logger.error("an answer from another realm was not stored", { error: describeError(err) });
  };

  /** `realm` cannot be reached now: senders still waiting for it hear "queued" (their messages stay in flight). */
  peerUnreachable(realm: string): void {
    for (const [id, waiting] of this.#waiting) {
      if (waiting.to !== realm) continue;
      this.#waiting.delete(id);
      this.#tellQueued(waiting, this.commitHeld(id));
    }
  }

  /** The bridge link is gone: everything in flight is offered again later, and its senders hear `queued`. */
  linkLost(): void {
    this.queue.requeueAll();
    for (const [id, waiting] of this.#waiting) this.#tellQueued(waiting, this.commitHeld(id));
    this.#waiting.clear();
  }

  /** The final answer about a message a bridge had queued. */
  async #finalAnswer(frame: FrameOf<"ack">): Promise<void> {
    const awaited = await this.options.outbox.takeDelivery(frame.id);
    if (awaited !== undefined && frame.status === "stored") this.options.presence.delivered(awaited.from, awaited.id, awaited.to);
  }

  onAck(frame: FrameOf<"ack">): void {
    const { presence, outbox } = this.options;
    const dm = this.queue.ack(frame.id)?.item;
    const waiting = this.#waiting.get(frame.id);
    if (dm === undefined && waiting === undefined) {
      // "queued" is never a final answer; with several instances it is often another one's message.
      if (frame.status !== "queued") this.#finalAnswer(frame).catch(this.#answerNotStored);
      return;
    }
    const realm = dm?.to ?? (waiting as WaitingSender).to;
    if (frame.status !== "queued") this.#slowRealms.delete(realm);
    const to = dm === undefined ? undefined : formatAddress(dm.user, dm.to);
    // The relay that sent it clears it from the outbox (one that only waits leaves that to it).
    if (dm !== undefined && to !== undefined) {
      // Held in memory only: nothing to remove; the bridge's `queued` means it took it over.
      if (!this.answered(dm.id)) outbox.remove(dm.id).catch(this.#answerNotStored);
      // Kept in the store, so that the sender hears of the delivery even after a restart.
      if (frame.status === "queued") outbox.awaitDelivery({ id: dm.id, from: dm.from, to }).catch(this.#answerNotStored);
    }
    if (waiting === undefined) {
      if (frame.status === "stored" && dm !== undefined && to !== undefined) presence.delivered(dm.from, dm.id, to);
      return;
    }
    this.#waiting.delete(frame.id);
    tellAnswer(waiting, frame);
  }
}
