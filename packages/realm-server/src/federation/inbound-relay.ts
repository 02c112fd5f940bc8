import { DedupWindow, type AckResult, type BatchItem, type FrameOf } from "@realmchat/protocol";
import { describeError, handled, type Handled, type Logger } from "@realmchat/node-runtime";
import type { Presence } from "../presence/presence.ts";
import type { InboxStore, RelayedMessage, RelayLedger, RelayOutcome, StoredMessage } from "../store/realm-store.ts";
import { RelayAcks, type AckSink } from "./relay-acks.ts";
import { RelayedReceipt, RelayLedgerStorage, type HandOffHolder, type RelayedContext } from "./relayed-hand-off.ts";

/** The inbox limit as the relay applies it: a full inbox refuses messages from other realms too. */
export interface InboxLimit {
  readonly inboxes: Pick<InboxStore, "count">;
  readonly maxInboxMessages: number;
}

/** The ledger key of expiry notices, which come from this realm's own bridge. */
const UNDELIVERED_ORIGIN = "undelivered";

function ackResult(id: string, outcome: RelayOutcome): AckResult {
  return outcome.status === "stored" ? { id, status: "stored" } : { id, status: "rejected", code: outcome.code, message: outcome.message };
}

/** How many ids of relayed messages settled without a write are remembered, to answer a repeat from the bridge. */
const SETTLED_IDS = 20_000;

export interface InboundRelayOptions {
  readonly realm: string;
  readonly ledger: RelayLedger;
  readonly logger: Logger;
  /** Pushes a message once stored, to a recipient who was not handed it first. */
  readonly presence: Pick<Presence, "messageStored">;
  /** Hands a message to its recipient's live client before any write (docs/design/private-hand-off.md). */
  readonly handOff: HandOffHolder;
  /** Where the acknowledgements go: the bridge link. */
  readonly sink: AckSink;
  readonly limit?: InboxLimit;
}

/**
 * Private messages arriving from other realms. One for a user with a live connection here is
 * handed off as a local one is: pushed, held, and acknowledged to the bridge once the client has
 * acknowledged it or it is committed. Any other goes through the store's ledger, which stores a
 * message once and answers any repeat with the first outcome; its acknowledgement leaves only
 * after the ledger's transaction has committed. A repeat of one held, or settled without a write
 * (remembered for the last SETTLED_IDS), is not pushed again.
 */
export class InboundRelay {
  readonly #options: InboundRelayOptions;
  readonly #acks: RelayAcks;
  readonly #context: RelayedContext;
  readonly #storage = new Map<string, RelayLedgerStorage>();

  constructor(options: InboundRelayOptions) {
    this.#options = options;
    this.#acks = new RelayAcks(options.sink);
    this.#context = { acks: this.#acks, settled: new DedupWindow<string>(SETTLED_IDS), logger: options.logger };
  }

  /**
   * Each message is acknowledged once its client has it, or it is stored or refused; a failure leaves
   * it unacknowledged, so its bridge offers it again.
   */
  dm(frame: FrameOf<"dm">): void {
    this.#take(frame.origin, frame);
  }

  batch(frame: FrameOf<"batch">): void {
    for (const item of frame.items) this.#take(frame.origin, item);
  }

  undelivered(frame: FrameOf<"undelivered">): Handled {
    return handled(this.#undelivered(frame), this.#failed);
  }

  readonly #failed = (err: unknown): void => {
    this.#options.logger.error("a message from another realm was not taken in; its bridge offers it again", { error: describeError(err) });
  };

  #take(origin: string, item: BatchItem): void {
    const { handOff, limit } = this.#options;
    if (this.#context.settled.get(item.id) === origin) {
      this.#acks.add(origin, { id: item.id, status: "stored" });
      return;
    }
    // Its answer goes when the first delivery settles.
    if (handOff.holds(item.id)) return;
    const message: StoredMessage = {
      id: item.id,
      from: `${item.from}@${origin}`,
      fromName: item.fromName,
      to: item.user,
      toName: item.user,
      text: item.text,
      sentAt: item.sentAt,
    };
    if (limit === undefined) {
      this.#deliver(origin, message, 0);
      return;
    }
    const count = limit.inboxes.count(item.user);
    if (count instanceof Promise)
      handled(
        count.then((n) => this.#deliver(origin, message, n)),
        this.#failed,
      );
    else this.#deliver(origin, message, count);
  }

  #deliver(origin: string, message: StoredMessage, stored: number): void {
    const { handOff, limit } = this.#options;
    // Refused, not recorded: the sender's realm hears INBOX_FULL.
    if (limit !== undefined && stored + handOff.heldFor(message.to) >= limit.maxInboxMessages) {
      const text = `the inbox of '${message.to}' is full: try again later`;
      this.#acks.add(origin, { id: message.id, status: "rejected", code: "INBOX_FULL", message: text });
      return;
    }
    if (handOff.hold(message, new RelayedReceipt(origin, message.id, this.#context), this.#storageFor(origin))) return;
    const { id, from, fromName, to, text, sentAt } = message;
    handled(this.#stored(origin, { id, from, fromName, user: to, text, sentAt }), this.#failed);
  }

  #storageFor(origin: string): RelayLedgerStorage {
    let storage = this.#storage.get(origin);
    if (storage === undefined) this.#storage.set(origin, (storage = new RelayLedgerStorage(origin, this.#options.ledger)));
    return storage;
  }

  async #stored(origin: string, message: RelayedMessage): Promise<void> {
    const outcome = await this.#accept(origin, message);
    if (outcome !== undefined) this.#acks.add(origin, ackResult(message.id, outcome));
  }

  /** The bridge gave up on a message of ours: the sender finds a notice in their inbox. */
  async #undelivered(frame: FrameOf<"undelivered">): Promise<void> {
    const when = new Date(frame.sentAt).toISOString();
    const outcome = await this.#accept(UNDELIVERED_ORIGIN, {
      id: frame.id,
      from: "postmaster",
      fromName: "Mail Delivery",
      user: frame.from,
      text: `Undelivered: your message to ${frame.user}@${frame.to} of ${when} could not be delivered (${frame.reason}): ${frame.text}`,
      sentAt: Date.now(),
    });
    if (outcome !== undefined) this.#options.sink.send({ t: "ack", id: frame.id, origin: this.#options.realm, status: "stored" });
  }

  async #accept(origin: string, message: RelayedMessage): Promise<RelayOutcome | undefined> {
    try {
      const { outcome, fresh } = await this.#options.ledger.accept(origin, message);
      if (fresh && outcome.status === "stored") {
        const { id, from, fromName, user, text, sentAt } = message;
        this.#options.presence.messageStored({ id, from, fromName, to: user, toName: user, text, sentAt });
      }
      return outcome;
    } catch (err) {
      // No acknowledgement: the sender's bridge will offer it again.
      this.#options.logger.error("storing a relayed message failed", { id: message.id, origin, error: describeError(err) });
      return undefined;
    }
  }
}
