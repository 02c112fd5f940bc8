import type { InboxStore, StoredMessage } from "../store/realm-store.ts";
import type { PrivateHandOff } from "./private-hand-off.ts";

const DEFAULT_PEEK = 100;
const MAX_PEEK = 1000;

export interface InboxPaging {
  /** Most messages in one classic `inbox` reply. */
  readonly pageMessages: number;
  /** Most message text, in characters, in one classic `inbox` reply (at least one message is sent). */
  readonly pageChars: number;
}

/** What one live `ack` covers (DeliveryLog): the held messages among it, and the last one that was in the inbox. */
export interface AckedDeliveries {
  readonly held: readonly string[];
  readonly lastStored: string | undefined;
}

export interface InboxPage {
  readonly messages: readonly StoredMessage[];
  readonly more: boolean;
}

/** Reading a user's inbox: emptied as it is read (classic), or shown and then acknowledged (live). */
export class InboxService {
  readonly #inboxes: InboxStore;
  readonly #paging: InboxPaging;
  readonly #handOff: Pick<PrivateHandOff, "acknowledge">;

  constructor(inboxes: InboxStore, paging: InboxPaging, handOff: Pick<PrivateHandOff, "acknowledge">) {
    this.#inboxes = inboxes;
    this.#paging = paging;
    this.#handOff = handOff;
  }

  /**
   * The oldest messages, as many as fit one page, removing nothing: the caller acknowledges the
   * page once it has handed it on (the classic `inbox`, docs/protocol.md).
   */
  async page(username: string): Promise<InboxPage> {
    const { pageMessages, pageChars } = this.#paging;
    const stored = await this.#inboxes.peek(username, pageMessages + 1);
    let chars = 0;
    let count = 0;
    while (count < stored.length && count < pageMessages) {
      chars += (stored[count] as StoredMessage).text.length + (stored[count] as StoredMessage).fromName.length;
      if (count > 0 && chars > pageChars) break;
      count++;
    }
    return { messages: stored.slice(0, count), more: stored.length > count };
  }

  /** Up to `limit` (default 100, at most 1000) messages, oldest first; nothing is removed. */
  peek(username: string, limit: number | undefined): Promise<StoredMessage[]> {
    return this.#inboxes.peek(username, Math.min(limit ?? DEFAULT_PEEK, MAX_PEEK));
  }

  /** Removes messages up to and including `upTo`, in inbox order; returns how many. */
  ack(username: string, upTo: string): Promise<number> {
    return this.#inboxes.ackUpTo(username, upTo);
  }

  /**
   * What a live client acknowledged at once (docs/design/private-hand-off.md): held messages are
   * settled without a write; the inbox loses its messages up to the last stored one handed out,
   * and, by id, those whose write had begun. Returns how many messages that was.
   */
  async acknowledge(username: string, handed: AckedDeliveries): Promise<number> {
    let removed = 0;
    let written: string[] | undefined;
    for (const id of handed.held) {
      if (this.#handOff.acknowledge(id) === "settled") removed++;
      else (written ??= []).push(id);
    }
    if (handed.lastStored !== undefined) removed += await this.#inboxes.ackUpTo(username, handed.lastStored);
    if (written !== undefined) removed += await this.#inboxes.remove(username, written);
    return removed;
  }
}
