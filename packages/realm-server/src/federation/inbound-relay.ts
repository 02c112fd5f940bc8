import type { AckResult, FederationFrame, FrameOf } from "@realmchat/protocol";
import { describeError, handled, type Handled, type Logger } from "@realmchat/node-runtime";
import type { InboxStore, RelayedMessage, RelayLedger, RelayOutcome } from "../store/realm-store.ts";

/** The inbox limit as the relay applies it: a full inbox refuses messages from other realms too. */
export interface InboxLimit {
  readonly inboxes: Pick<InboxStore, "count">;
  readonly maxInboxMessages: number;
}

/** Where acknowledgements go: the bridge link, when there is one. */
export interface AckSink {
  send(frame: FederationFrame): void;
}

/** The ledger key of expiry notices, which come from this realm's own bridge. */
const UNDELIVERED_ORIGIN = "undelivered";

function ackResult(id: string, outcome: RelayOutcome): AckResult {
  return outcome.status === "stored" ? { id, status: "stored" } : { id, status: "rejected", code: outcome.code, message: outcome.message };
}

/**
 * Private messages arriving from other realms. Each goes through the store's ledger, which stores
 * a message once and answers any repeat with the first outcome; the acknowledgement leaves only
 * after the ledger's transaction has committed.
 */
export class InboundRelay {
  readonly #realm: string;
  readonly #ledger: RelayLedger;
  readonly #logger: Logger;

  readonly #onStored: (message: RelayedMessage) => void;
  readonly #limit: InboxLimit | undefined;

  /** `onStored` hears of each message the first time it is stored (to push it to a live client). */
  constructor(realm: string, ledger: RelayLedger, logger: Logger, onStored: (message: RelayedMessage) => void, limit?: InboxLimit) {
    this.#realm = realm;
    this.#ledger = ledger;
    this.#logger = logger;
    this.#onStored = onStored;
    this.#limit = limit;
  }

  /** Each message is acknowledged once stored or refused; a failure leaves it unacknowledged, so its bridge offers it again. */
  dm(frame: FrameOf<"dm">, sink: AckSink | undefined): Handled {
    return handled(this.#dm(frame, sink), this.#failed);
  }

  batch(frame: FrameOf<"batch">, sink: AckSink | undefined): Handled {
    return handled(this.#batch(frame, sink), this.#failed);
  }

  undelivered(frame: FrameOf<"undelivered">, sink: AckSink | undefined): Handled {
    return handled(this.#undelivered(frame, sink), this.#failed);
  }

  readonly #failed = (err: unknown): void => {
    this.#logger.error("a message from another realm was not taken in; its bridge offers it again", { error: describeError(err) });
  };

  async #dm(frame: FrameOf<"dm">, sink: AckSink | undefined): Promise<void> {
    const outcome = await this.#accept(frame.origin, {
      id: frame.id,
      from: `${frame.from}@${frame.origin}`,
      fromName: frame.fromName,
      user: frame.user,
      text: frame.text,
      sentAt: frame.sentAt,
    });
    if (outcome === undefined) return;
    sink?.send({ t: "ack", origin: frame.origin, ...ackResult(frame.id, outcome) });
  }

  async #batch(frame: FrameOf<"batch">, sink: AckSink | undefined): Promise<void> {
    // All accepts start in this turn, so they share one transaction.
    const outcomes = await Promise.all(
      frame.items.map((item) =>
        this.#accept(frame.origin, {
          id: item.id,
          from: `${item.from}@${frame.origin}`,
          fromName: item.fromName,
          user: item.user,
          text: item.text,
          sentAt: item.sentAt,
        }),
      ),
    );
    const results: AckResult[] = [];
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i];
      if (outcome !== undefined) results.push(ackResult((frame.items[i] as { id: string }).id, outcome));
    }
    if (results.length > 0) sink?.send({ t: "acks", origin: frame.origin, results });
  }

  /** The bridge gave up on a message of ours: the sender finds a notice in their inbox. */
  async #undelivered(frame: FrameOf<"undelivered">, sink: AckSink | undefined): Promise<void> {
    const when = new Date(frame.sentAt).toISOString();
    const outcome = await this.#accept(UNDELIVERED_ORIGIN, {
      id: frame.id,
      from: "postmaster",
      fromName: "Mail Delivery",
      user: frame.from,
      text: `Undelivered: your message to ${frame.user}@${frame.to} of ${when} could not be delivered (${frame.reason}): ${frame.text}`,
      sentAt: Date.now(),
    });
    if (outcome !== undefined) sink?.send({ t: "ack", id: frame.id, origin: this.#realm, status: "stored" });
  }

  async #accept(origin: string, message: RelayedMessage): Promise<RelayOutcome | undefined> {
    const limit = this.#limit;
    try {
      // Refused, not recorded: the sender's realm hears INBOX_FULL (notices from our own bridge still go in).
      if (limit !== undefined && origin !== UNDELIVERED_ORIGIN && (await limit.inboxes.count(message.user)) >= limit.maxInboxMessages) {
        return { status: "rejected", code: "INBOX_FULL", message: `the inbox of '${message.user}' is full: try again later` };
      }
      const { outcome, fresh } = await this.#ledger.accept(origin, message);
      if (fresh && outcome.status === "stored") this.#onStored(message);
      return outcome;
    } catch (err) {
      // No acknowledgement: the sender's bridge will offer it again.
      this.#logger.error("storing a relayed message failed", { id: message.id, origin, error: describeError(err) });
      return undefined;
    }
  }
}
