import { describeError, handled } from "@realmchat/node-runtime";
import { DedupWindow } from "@realmchat/protocol";
import { dmFrame, OutboundRelay, type OutboundRelayOptions } from "../federation/outbound-relay.ts";
import type { SendReceipt } from "../federation/relay-receipt.ts";
import type { OutboxEntry } from "../store/realm-store.ts";
import type { ClusterPort } from "./cluster-port.ts";

const SHARED_READ_PAGE = 4096;

/** Ids acknowledged lately, so that an outbox read that raced the acknowledgement does not send one again. */
const RECENT_ACKS = 4096;

/** What this relay needs of the cluster's port besides what every port offers. */
export type SharedLinkPort = Pick<ClusterPort, "send" | "linked" | "isPeerUp" | "holdsLink" | "nudgeOutbox">;

export interface SharedOutboxRelayOptions extends OutboundRelayOptions {
  readonly port: SharedLinkPort;
  /** Outbox entries the link's holder reads at once (default 4096). */
  readonly page?: number;
}

/**
 * The outbound relay of one instance among several of a realm (docs/design/scale-out.md): the
 * shared outbox is the queue, and every message is committed to it first. The instance holding
 * the bridge link sends the whole shared outbox in its order, a page at a time (so a sender's
 * messages keep their order whichever instance took them, or died with them); the others wake it.
 */
export class SharedOutboxRelay extends OutboundRelay {
  readonly #port: SharedLinkPort;
  readonly #page: number;
  readonly #recentAcks = new DedupWindow(RECENT_ACKS);
  #syncing = false;
  #syncAgain = false;
  /** The last read was a full page: more is waiting behind it. */
  #moreInOutbox = false;

  constructor(options: SharedOutboxRelayOptions) {
    super(options);
    this.#port = options.port;
    this.#page = options.page ?? SHARED_READ_PAGE;
  }

  /** Nothing to take back: the one holding the bridge link reads the outbox itself, a page at a time. */
  loadOutbox(): Promise<number> {
    this.flush();
    return Promise.resolve(0);
  }

  /** Into this turn's commit of the shared outbox, and on once it is committed. */
  sendPrivate(message: OutboxEntry, receipt: SendReceipt): void {
    this.options.outbox.add(message).then(
      () => {
        if (this.canAnswer(message.to)) {
          this.awaitAnswer(message, receipt);
          return;
        }
        this.flush();
        receipt.sent(message.id, true);
      },
      (err: unknown) => receipt.failed(err),
    );
  }

  flush(): void {
    const port = this.#port;
    if (!port.linked) return;
    if (!port.holdsLink) port.nudgeOutbox();
    else handled(this.#sync(), this.#outboxNotRead);
  }

  async #sync(): Promise<void> {
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
        const entries = await this.options.outbox.list(this.#page);
        this.#moreInOutbox = entries.length === this.#page;
        for (const entry of entries) if (!this.#recentAcks.has(entry.id)) this.queue.enqueue(entry.id, dmFrame(this.options.realm, entry));
        if (this.#port.holdsLink) this.sendUnsent();
      } while (this.#syncAgain);
    } finally {
      this.#syncing = false;
    }
  }

  readonly #outboxNotRead = (err: unknown): void => {
    this.options.logger.error("the outbox could not be read; it is read again on the next message", { error: describeError(err) });
  };

  /** Every message is committed before it is sent. */
  protected commitHeld(): undefined {
    return undefined;
  }

  protected answered(id: string): boolean {
    this.#recentAcks.remember(id, true);
    // Half of a full page answered: read further into the shared outbox.
    if (this.#moreInOutbox && this.queue.size < this.#page / 2) {
      this.#moreInOutbox = false;
      this.flush();
    }
    return false;
  }
}
