import type { LiveClient } from "./live-client.ts";

/** Message ids remembered as shown, so that one handed over again is shown once. */
const REMEMBERED_IDS = 10_000;

/**
 * Acknowledges the private messages received, once per event-loop turn, up to the last of them:
 * a burst of messages costs one `ack`, not one each, and none waits long (the realm holds a message
 * for a live client until it is acknowledged: docs/design/private-hand-off.md). A message the realm
 * hands over again (after a lost link, or one sent again after a crash, with the same id) is
 * acknowledged again but not shown twice.
 */
export class InboxAcknowledger {
  readonly #client: () => LiveClient | undefined;
  readonly #failed: (err: unknown) => void;
  readonly #seen = new Set<string>();
  #upTo: string | undefined;

  constructor(client: () => LiveClient | undefined, failed: (err: unknown) => void) {
    this.#client = client;
    this.#failed = failed;
  }

  /** Message `msgId` came; true if it is new (to be shown), false if it was shown already. */
  received(msgId: string): boolean {
    const scheduled = this.#upTo !== undefined;
    this.#upTo = msgId;
    if (!scheduled) setImmediate(this.#flush);
    if (this.#seen.has(msgId)) return false;
    this.#seen.add(msgId);
    if (this.#seen.size > REMEMBERED_IDS) this.#seen.delete(this.#seen.values().next().value as string);
    return true;
  }

  readonly #flush = (): void => {
    const upTo = this.#upTo;
    this.#upTo = undefined;
    const client = this.#client();
    if (upTo === undefined || client === undefined || client.isClosed) return;
    client.ack(upTo).catch(this.#failed);
  };
}
