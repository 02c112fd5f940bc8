import type { InboxStore, StoredMessage } from "../store/realm-store.ts";

const DEFAULT_PEEK = 100;
const MAX_PEEK = 1000;

/** Reading a user's inbox: emptied as it is read (classic), or shown and then acknowledged (live). */
export class InboxService {
  readonly #inboxes: InboxStore;

  constructor(inboxes: InboxStore) {
    this.#inboxes = inboxes;
  }

  /** Every message, oldest first, removed as it is returned (the classic `inbox`, docs/protocol.md). */
  drain(username: string): Promise<StoredMessage[]> {
    return this.#inboxes.drain(username);
  }

  /** Up to `limit` (default 100, at most 1000) messages, oldest first; nothing is removed. */
  peek(username: string, limit: number | undefined): Promise<StoredMessage[]> {
    return this.#inboxes.peek(username, Math.min(limit ?? DEFAULT_PEEK, MAX_PEEK));
  }

  /** Removes messages up to and including `upTo`, in inbox order; returns how many. */
  ack(username: string, upTo: string): Promise<number> {
    return this.#inboxes.ackUpTo(username, upTo);
  }
}
