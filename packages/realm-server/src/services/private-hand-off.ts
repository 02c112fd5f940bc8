import type { Completion } from "@realmchat/node-runtime";
import type { SendReceipt } from "../federation/relay-receipt.ts";
import type { Presence } from "../presence/presence.ts";
import type { InboxStore, StoredMessage } from "../store/realm-store.ts";

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

const HELD = 0;
const STORING = 1;
const ACKNOWLEDGED = 2;

/** A message pushed to its recipient's client and kept here until the client has it or the inbox does. */
class HeldMessage implements Completion<void> {
  state: typeof HELD | typeof STORING | typeof ACKNOWLEDGED = HELD;
  readonly message: StoredMessage;
  readonly receipt: SendReceipt;
  readonly deadline: number;
  readonly #held: Map<string, HeldMessage>;

  constructor(message: StoredMessage, receipt: SendReceipt, deadline: number, held: Map<string, HeldMessage>) {
    this.message = message;
    this.receipt = receipt;
    this.deadline = deadline;
    this.#held = held;
  }

  committed(): void {
    this.#held.delete(this.message.id);
    if (this.state === STORING) this.receipt.sent(this.message.id, false);
  }

  failed(error: unknown): void {
    this.#held.delete(this.message.id);
    // A client that acknowledged it has it: the failed write lost nothing.
    if (this.state === STORING) this.receipt.failed(error);
  }
}

/**
 * Hand-off before storage (docs/design/private-hand-off.md): a private message for a user with a
 * live connection here is pushed first and held in memory; its sender hears "sent" once the client
 * acknowledges it or once it is committed, whichever comes first. One acknowledged within `holdMs`
 * is never written; one that is not goes to the inbox then. A user with no live connection here
 * (offline, classic, on another instance) gets the commit path: stored, then pushed.
 */
export class PrivateHandOff {
  readonly #options: HandOffOptions;
  /** In the order pushed, which is the order of their deadlines. */
  readonly #held = new Map<string, HeldMessage>();
  /** Held (not yet stored) messages per recipient: they count against the inbox's limit. */
  readonly #perUser = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  readonly #expire = (): void => this.#storeDue(Date.now());

  constructor(options: HandOffOptions) {
    this.#options = options;
  }

  deliver(message: StoredMessage, receipt: SendReceipt): void {
    const { presence, inboxes, holdMs, maxHeld } = this.#options;
    if (this.#held.size >= maxHeld || !presence.offer(message)) {
      inboxes.append(message, new StoredDelivery(message, presence, receipt));
      return;
    }
    this.#held.set(message.id, new HeldMessage(message, receipt, Date.now() + holdMs, this.#held));
    this.#perUser.set(message.to, (this.#perUser.get(message.to) ?? 0) + 1);
    this.#timer ??= setTimeout(this.#expire, holdMs).unref();
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
      this.#options.inboxes.append(held.message, held);
    }
  }
}

/** A message for a local inbox on the commit path: once committed, pushed to its recipient's live connections, then its sender told. */
class StoredDelivery implements Completion<void> {
  readonly #message: StoredMessage;
  readonly #presence: Pick<Presence, "messageStored">;
  readonly #receipt: SendReceipt;

  constructor(message: StoredMessage, presence: Pick<Presence, "messageStored">, receipt: SendReceipt) {
    this.#message = message;
    this.#presence = presence;
    this.#receipt = receipt;
  }

  committed(): void {
    this.#presence.messageStored(this.#message);
    this.#receipt.sent(this.#message.id, false);
  }

  failed(error: unknown): void {
    this.#receipt.failed(error);
  }
}
