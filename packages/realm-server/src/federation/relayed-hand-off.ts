import { isErrorCode, type DedupWindow } from "@realmchat/protocol";
import { describeError, type Completion, type Logger } from "@realmchat/node-runtime";
import { RequestError } from "../request-error.ts";
import type { MessageStorage, RelayLedger, StoredMessage } from "../store/realm-store.ts";
import type { SendReceipt } from "./relay-receipt.ts";
import type { RelayAcks } from "./relay-acks.ts";

/**
 * Where a message for a user with a live connection here is pushed and held before any write
 * (PrivateHandOff, in services: the relay is given it, as it gives the relay nothing).
 */
export interface HandOffHolder {
  /** Pushes and holds `message`, to be written to `storage` if not acknowledged in time; false, nothing done, if it cannot. */
  hold(message: StoredMessage, receipt: SendReceipt, storage: MessageStorage): boolean;
  /** Whether the message `id` is held or being written here, not yet settled. */
  holds(id: string): boolean;
  /** Messages held for `username` and not stored. */
  heldFor(username: string): number;
}

/** What the relayed messages held for one link share. */
export interface RelayedContext {
  readonly acks: RelayAcks;
  /** Ids of messages settled here lately (client's ack or commit), with their origin. */
  readonly settled: DedupWindow<string>;
  readonly logger: Logger;
}

/**
 * The bridge's side of a message from another realm that was pushed to its recipient's live
 * client and held (PrivateHandOff): the bridge hears "stored" once the client acknowledged it or
 * it was committed here, and only then lets it go.
 */
export class RelayedReceipt implements SendReceipt {
  readonly #origin: string;
  readonly #id: string;
  readonly #context: RelayedContext;

  constructor(origin: string, id: string, context: RelayedContext) {
    this.#origin = origin;
    this.#id = id;
    this.#context = context;
  }

  sent(id: string): void {
    this.#context.settled.set(id, this.#origin);
    this.#context.acks.add(this.#origin, { id, status: "stored" });
  }

  failed(error: unknown): void {
    if (error instanceof RequestError) {
      this.#context.acks.add(this.#origin, { id: this.#id, status: "rejected", code: error.code, message: error.message });
      return;
    }
    // No acknowledgement: the bridge offers it again, and a client that has it knows its id.
    this.#context.logger.error("storing a relayed message failed", { id: this.#id, origin: this.#origin, error: describeError(error) });
  }
}

/** Writes held messages from one realm through the relay ledger, which stores each id once. */
export class RelayLedgerStorage implements MessageStorage {
  readonly #origin: string;
  readonly #ledger: RelayLedger;

  constructor(origin: string, ledger: RelayLedger) {
    this.#origin = origin;
    this.#ledger = ledger;
  }

  append(message: StoredMessage, stored: Completion<void>): void {
    const { id, from, fromName, to, text, sentAt } = message;
    this.#ledger.accept(this.#origin, { id, from, fromName, user: to, text, sentAt }).then(
      ({ outcome }) => {
        if (outcome.status === "stored") stored.committed();
        else stored.failed(new RequestError(isErrorCode(outcome.code) ? outcome.code : "USER_NOT_FOUND", outcome.message));
      },
      (err: unknown) => stored.failed(err),
    );
  }
}
