import type { LiveClient } from "./live-client.ts";

/**
 * Acknowledges the private messages shown, once per event-loop turn, up to the last of them (an
 * inbox is in order): a burst of messages costs one `ack`, not one each, and none waits long.
 */
export class InboxAcknowledger {
  readonly #client: () => LiveClient | undefined;
  readonly #failed: (err: unknown) => void;
  #upTo: string | undefined;

  constructor(client: () => LiveClient | undefined, failed: (err: unknown) => void) {
    this.#client = client;
    this.#failed = failed;
  }

  /** Message `msgId` was shown. */
  shown(msgId: string): void {
    const scheduled = this.#upTo !== undefined;
    this.#upTo = msgId;
    if (!scheduled) setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    const upTo = this.#upTo;
    this.#upTo = undefined;
    const client = this.#client();
    if (upTo === undefined || client === undefined || client.isClosed) return;
    client.ack(upTo).catch(this.#failed);
  };
}
