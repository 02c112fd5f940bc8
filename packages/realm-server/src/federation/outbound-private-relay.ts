import { describeError, handled, type Logger } from "@realmchat/node-runtime";
import { DedupWindow, DeliveryQueue, formatAddress, MAX_BATCH_ITEMS, type BatchItem, type FrameOf } from "@realmchat/protocol";
import { DEFAULT_LIMITS } from "../limits.ts";
import type { Presence } from "../presence/presence.ts";
import type { OutboxEntry, OutboxStore } from "../store/realm-store.ts";
import type { FederationPort } from "./federation-port.ts";
import { tellAnswer, type SendReceipt, type WaitingSender } from "./relay-receipt.ts";

const SHARED_READ_PAGE = 4096;

/** Ids acknowledged lately, so that an outbox read that raced the acknowledgement does not send one again. */
const RECENT_ACKS = 4096;

function dmFrame(realm: string, entry: OutboxEntry): FrameOf<"dm"> {
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

export interface OutboundPrivateRelayOptions {
  readonly realm: string;
  readonly outbox: OutboxStore;
  readonly port: FederationPort;
  readonly presence: Pick<Presence, "delivered">;
  readonly logger: Logger;
  /** How long a sender waits for the other realm before hearing "queued" (default: the realm's `remoteAnswerMs`). */
  readonly answerWithinMs?: number;
  /** With several instances: outbox entries the link's holder reads at once (default 4096). */
  readonly sharedReadPage?: number;
}

/**
 * Private messages of this realm's users for other realms, handed to the bridge and answered once
 * the recipient's realm stored it (or a bridge queued it). A sender is told "queued" only once
 * the message is committed to this realm's outbox (or the bridge's queue): with no bridge linked,
 * the committed outbox entry is itself the queue. In one process, a message whose realm can
 * answer now is held in memory meanwhile and never written here: its sender hears nothing until
 * it is stored there, so a crash loses nothing anyone was told was sent. With several instances
 * the shared outbox is the queue, and every message is committed to it first.
 */
export class OutboundPrivateRelay {
  readonly #options: OutboundPrivateRelayOptions;
  readonly #queue = new DeliveryQueue<FrameOf<"dm">>();
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
  readonly #recentAcks = new DedupWindow(RECENT_ACKS);
  /** Messages held in memory only (one process, the other realm answering), by id. */
  readonly #held = new Map<string, OutboxEntry>();
  #syncing = false;
  #syncAgain = false;
  /** The last shared read was a full page: more is waiting behind it. */
  #moreInOutbox = false;
  readonly #page: number;

  constructor(options: OutboundPrivateRelayOptions) {
    this.#options = options;
    this.#answerWithinMs = options.answerWithinMs ?? DEFAULT_LIMITS.remoteAnswerMs;
    this.#page = options.sharedReadPage ?? SHARED_READ_PAGE;
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
    for (const [id, waiting] of this.#waiting) {
      if (waiting.at > cutoff) break;
      this.#waiting.delete(id);
      this.#slowRealms.add(waiting.to);
      this.#tellQueued(waiting, this.#commitHeld(id));
    }
  }

  /** Commits a message held in memory to the outbox (this realm takes it over: its sender is told "queued"). */
  #commitHeld(id: string): Promise<void> | undefined {
    const held = this.#held.get(id);
    if (held === undefined) return undefined;
    this.#held.delete(id);
    return this.#options.outbox.add(held);
  }

  #tellQueued(waiting: WaitingSender, stored: Promise<void> | undefined): void {
    if (stored === undefined) waiting.receipt.sent(waiting.id, true);
    else
      stored.then(
        () => waiting.receipt.sent(waiting.id, true),
        (err: unknown) => waiting.receipt.failed(err),
      );
  }

  close(): void {
    clearInterval(this.#sweeper);
  }

  get size(): number {
    return this.#queue.size;
  }

  /** Takes back the messages a previous run had not handed to the bridge yet, oldest first; how many (0 when shared). */
  async loadOutbox(): Promise<number> {
    // Shared by several instances: the one holding the bridge link reads the outbox itself, a page at a time.
    if (this.#options.port.shared) {
      this.flush();
      return 0;
    }
    const entries = await this.#options.outbox.list();
    for (const entry of entries) this.#queue.enqueue(entry.id, dmFrame(this.#options.realm, entry));
    this.flush();
    return entries.length;
  }

  /**
   * Tells `receipt` when the other realm stored the message, or a queue holds it (`queued`).
   * Messages are handed on in the order they were given: in one process at once, into the queue
   * (and, if they must wait, into this turn's commit of the outbox); with several instances, into
   * this turn's commit of the shared outbox, and on once it is committed.
   */
  sendPrivate(message: OutboxEntry, receipt: SendReceipt): void {
    const { port, realm, outbox } = this.#options;
    if (port.shared) {
      outbox.add(message).then(
        () => this.#committed(message, receipt),
        (err: unknown) => receipt.failed(err),
      );
      return;
    }
    this.#queue.enqueue(message.id, dmFrame(realm, message));
    if (this.#canAnswer(message.to)) {
      this.#held.set(message.id, message);
      this.#awaitAnswer(message, receipt);
      return;
    }
    // The other realm cannot answer now (no bridge, its bridge said so, or it kept a sender
    // waiting): the committed outbox entry is the queue, and the sender hears "queued" at once.
    outbox.add(message).then(
      () => {
        this.flush();
        receipt.sent(message.id, true);
      },
      (err: unknown) => receipt.failed(err),
    );
  }

  #canAnswer(to: string): boolean {
    const { port } = this.#options;
    return port.linked && port.isPeerUp(to) && !this.#slowRealms.has(to);
  }

  #committed(message: OutboxEntry, receipt: SendReceipt): void {
    if (!this.#canAnswer(message.to)) {
      this.flush();
      receipt.sent(message.id, true);
      return;
    }
    this.#awaitAnswer(message, receipt);
  }

  #awaitAnswer(message: OutboxEntry, receipt: SendReceipt): void {
    this.#waiting.set(message.id, { id: message.id, to: message.to, at: Date.now(), receipt });
    // Once per turn, for all its messages: they leave in as few `batch` frames as they fit.
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flushNow);
    }
  }

  #flushQueued = false;
  readonly #flushNow = (): void => {
    this.#flushQueued = false;
    this.flush();
  };

  /**
   * Hands every message not yet sent to the bridge, if one is linked. With several instances,
   * the one holding the link sends the whole shared outbox in its order (so a sender's messages
   * keep their order whichever instance took them, or died with them); the others wake it.
   */
  flush(): void {
    const { port } = this.#options;
    if (!port.linked) return;
    if (!port.shared) this.#sendUnsent();
    else if (!port.holdsLink) port.nudgeOutbox();
    else handled(this.#syncShared(), this.#outboxNotRead);
  }

  /** Everything not yet sent, in order, as `batch` frames: one per run of messages for the same realm. */
  #sendUnsent(): void {
    const { port, realm } = this.#options;
    let to = "";
    let items: BatchItem[] = [];
    for (let entry = this.#queue.takeUnsent(); entry !== undefined; entry = this.#queue.takeUnsent()) {
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

  async #syncShared(): Promise<void> {
    if (this.#syncing) {
      this.#syncAgain = true;
      return;
    }
    this.#syncing = true;
    try {
      do {
        this.#syncAgain = false;
        // The oldest part only: what is sent leaves the outbox when answered, and the next read
        // reaches further, so one read costs the same however long the outbox has grown.
        const entries = await this.#options.outbox.list(this.#page);
        this.#moreInOutbox = entries.length === this.#page;
        for (const entry of entries)
          if (!this.#recentAcks.has(entry.id)) this.#queue.enqueue(entry.id, dmFrame(this.#options.realm, entry));
        if (this.#options.port.holdsLink) this.#sendUnsent();
      } while (this.#syncAgain);
    } finally {
      this.#syncing = false;
    }
  }

  readonly #outboxNotRead = (err: unknown): void => {
    this.#options.logger.error("the outbox could not be read; it is read again on the next message", { error: describeError(err) });
  };

  // Nobody waits on these writes: a failure costs a resend (dropped as a duplicate there) or a delivery notice, never a message.
  readonly #answerNotStored = (err: unknown): void => {
    this.#options.logger.error("an answer from another realm was not stored", { error: describeError(err) });
  };

  /** `realm` cannot be reached now: senders still waiting for it hear "queued" (their messages stay in flight). */
  peerUnreachable(realm: string): void {
    for (const [id, waiting] of this.#waiting) {
      if (waiting.to !== realm) continue;
      this.#waiting.delete(id);
      this.#tellQueued(waiting, this.#commitHeld(id));
    }
  }

  /** The bridge link is gone: everything in flight is offered again later, and its senders hear `queued`. */
  linkLost(): void {
    this.#queue.requeueAll();
    for (const [id, waiting] of this.#waiting) this.#tellQueued(waiting, this.#commitHeld(id));
    this.#waiting.clear();
  }

  /** The final answer about a message a bridge had queued. */
  async #finalAnswer(frame: FrameOf<"ack">): Promise<void> {
    const awaited = await this.#options.outbox.takeDelivery(frame.id);
    if (awaited !== undefined && frame.status === "stored") this.#options.presence.delivered(awaited.from, awaited.id, awaited.to);
  }

  onAck(frame: FrameOf<"ack">): void {
    const { presence, outbox } = this.#options;
    const dm = this.#queue.ack(frame.id)?.item;
    // Half of a full page answered: read further into the shared outbox.
    if (dm !== undefined && this.#moreInOutbox && this.#queue.size < this.#page / 2) {
      this.#moreInOutbox = false;
      this.flush();
    }
    const waiting = this.#waiting.get(frame.id);
    if (dm === undefined && waiting === undefined) {
      // "queued" is never a final answer; with several instances it is often another one's message.
      if (frame.status !== "queued") this.#finalAnswer(frame).catch(this.#answerNotStored);
      return;
    }
    const realm = dm?.to ?? (waiting as WaitingSender).to;
    if (frame.status !== "queued") this.#slowRealms.delete(realm);
    const to = dm === undefined ? undefined : formatAddress(dm.user, dm.to);
    // The instance that sent it clears it from the outbox (one that only waits leaves that to it).
    if (dm !== undefined && to !== undefined) {
      if (this.#options.port.shared) this.#recentAcks.remember(dm.id, true);
      // Held in memory only: nothing to remove; the bridge's `queued` means it took it over.
      if (!this.#held.delete(dm.id)) outbox.remove(dm.id).catch(this.#answerNotStored);
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
