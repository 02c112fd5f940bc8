import type { Completion } from "@realmchat/node-runtime";
import type { HandOffHolder } from "../federation/relayed-hand-off.ts";
import type { SendReceipt } from "../federation/relay-receipt.ts";
import type { Presence } from "../presence/presence.ts";
import type { InboxStore, MessageStorage, StoredMessage } from "../store/realm-store.ts";

export interface HandOffOptions {
  readonly inboxes: Pick<InboxStore, "append">;
  readonly presence: Pick<Presence, "offer" | "messageStored">;
  /** How long a pushed message waits in memory for the client's `ack` before it is stored. */
  readonly holdMs: number;
  /** Messages held at once; past it a message takes the commit path (stored, then pushed). */
  readonly maxHeld: number;
}

/** What became of a held message the client acknowledged. */
export type HandOffAck =
  /** It was held in memory only: nothing was written, nothing to delete. */
  | "settled"
  /** Its write had begun (or it was never held here): its inbox row is to be deleted. */
  | "written";

/** Stored first, then pushed (no live connection here). */
const COMMIT_PATH = 0;
/** Pushed, held in memory, awaiting the client's ack. */
const HELD = 1;
/** Pushed, not acknowledged in time: being stored. */
const STORING = 2;
/** Pushed and acknowledged (its write, if one began, still to finish). */
const ACKNOWLEDGED = 3;

/** What every delivery of one hand-off shares. */
interface DeliveryContext {
  readonly held: Map<string, PrivateDelivery>;
  readonly presence: Pick<Presence, "messageStored">;
}

/**
 * One local private message from its sender's request to its outcome: the one completion the
 * store tells (committed, failed) and the client's ack settles, which then tells the sender's
 * receipt once.
 */
class PrivateDelivery implements Completion<void> {
  state: typeof COMMIT_PATH | typeof HELD | typeof STORING | typeof ACKNOWLEDGED;
  readonly message: StoredMessage;
  readonly receipt: SendReceipt;
  readonly storage: MessageStorage;
  readonly deadline: number;
  readonly #context: DeliveryContext;

  constructor(
    state: typeof COMMIT_PATH | typeof HELD,
    message: StoredMessage,
    receipt: SendReceipt,
    storage: MessageStorage,
    deadline: number,
    context: DeliveryContext,
  ) {
    this.state = state;
    this.message = message;
    this.receipt = receipt;
    this.storage = storage;
    this.deadline = deadline;
    this.#context = context;
  }

  committed(): void {
    if (this.state === COMMIT_PATH) this.#context.presence.messageStored(this.message);
    else this.#context.held.delete(this.message.id);
    if (this.state !== ACKNOWLEDGED) this.receipt.sent(this.message.id, false);
  }

  failed(error: unknown): void {
    if (this.state !== COMMIT_PATH) this.#context.held.delete(this.message.id);
    // A client that acknowledged it has it: the failed write lost nothing.
    if (this.state !== ACKNOWLEDGED) this.receipt.failed(error);
  }
}

/**
 * Hand-off before storage (docs/design/private-hand-off.md): a private message for a user with a
 * live connection here is pushed first and held in memory; its sender hears "sent" once the client
 * acknowledges it or once it is committed, whichever comes first. One acknowledged within `holdMs`
 * is never written; one that is not goes to the inbox then. A user with no live connection here
 * (offline, classic, on another instance) gets the commit path: stored, then pushed. Messages from
 * other realms are held the same way (InboundRelay), written through the relay ledger if they must be.
 */
export class PrivateHandOff implements HandOffHolder {
  readonly #options: HandOffOptions;
  /** In the order pushed, which is the order of their deadlines. */
  readonly #held = new Map<string, PrivateDelivery>();
  readonly #context: DeliveryContext;
  /** Held (not yet stored) messages per recipient: they count against the inbox's limit. */
  readonly #perUser = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  readonly #expire = (): void => this.#storeDue(Date.now());

  constructor(options: HandOffOptions) {
    this.#options = options;
    this.#context = { held: this.#held, presence: options.presence };
  }

  deliver(message: StoredMessage, receipt: SendReceipt): void {
    const { inboxes } = this.#options;
    if (!this.hold(message, receipt, inboxes)) {
      inboxes.append(message, new PrivateDelivery(COMMIT_PATH, message, receipt, inboxes, 0, this.#context));
    }
  }

  /**
   * Pushes `message` and holds it, to be written to `storage` if not acknowledged in time; false,
   * and nothing done, if its recipient has no live connection here or the hand-off is full.
   */
  hold(message: StoredMessage, receipt: SendReceipt, storage: MessageStorage): boolean {
    const { presence, holdMs, maxHeld } = this.#options;
    if (this.#held.size >= maxHeld || !presence.offer(message)) return false;
    this.#held.set(message.id, new PrivateDelivery(HELD, message, receipt, storage, Date.now() + holdMs, this.#context));
    this.#perUser.set(message.to, (this.#perUser.get(message.to) ?? 0) + 1);
    this.#timer ??= setTimeout(this.#expire, holdMs).unref();
    return true;
  }

  /** Whether the message `id` is held or being written here, not yet settled. */
  holds(id: string): boolean {
    return this.#held.has(id);
  }

  /** The recipient's client has the message `id`. */
  acknowledge(id: string): HandOffAck {
    const held = this.#held.get(id);
    if (held === undefined || held.state === ACKNOWLEDGED) return "written";
    const wasHeld = held.state === HELD;
    held.state = ACKNOWLEDGED;
    if (wasHeld) {
      this.#held.delete(id);
      this.#letGo(held.message.to);
    }
    held.receipt.sent(id, false);
    return wasHeld ? "settled" : "written";
  }

  /** Messages held for `username` and not stored (the inbox counts those stored or being stored). */
  heldFor(username: string): number {
    return this.#perUser.get(username) ?? 0;
  }

  #letGo(username: string): void {
    const n = (this.#perUser.get(username) ?? 1) - 1;
    if (n === 0) this.#perUser.delete(username);
    else this.#perUser.set(username, n);
  }

  /** Stores every held message now (the realm is stopping); their senders hear once they commit. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#storeDue(Number.POSITIVE_INFINITY);
  }

  #storeDue(now: number): void {
    this.#timer = undefined;
    for (const held of this.#held.values()) {
      if (held.state !== HELD) continue;
      if (held.deadline > now) {
        this.#timer = setTimeout(this.#expire, held.deadline - now).unref();
        return;
      }
      held.state = STORING;
      this.#letGo(held.message.to);
      held.storage.append(held.message, held);
    }
  }
}
