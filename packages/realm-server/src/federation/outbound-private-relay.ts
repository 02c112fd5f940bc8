import type { OutboxEntry } from "../store/realm-store.ts";
import { dmFrame, OutboundRelay } from "./outbound-relay.ts";
import type { SendReceipt } from "./relay-receipt.ts";

/**
 * The outbound relay of a realm that runs as one process. A sender is told "queued" only once the
 * message is committed to this realm's outbox (or the bridge's queue): with no bridge linked, the
 * committed outbox entry is itself the queue. A message whose realm can answer now is held in
 * memory meanwhile and never written here: its sender hears nothing until it is stored there, so
 * a crash loses nothing anyone was told was sent.
 */
export class OutboundPrivateRelay extends OutboundRelay {
  /** Messages held in memory only (the other realm answering), by id. */
  readonly #held = new Map<string, OutboxEntry>();

  async loadOutbox(): Promise<number> {
    const entries = await this.options.outbox.list();
    for (const entry of entries) this.queue.enqueue(entry.id, dmFrame(this.options.realm, entry));
    this.flush();
    return entries.length;
  }

  /** Handed on in the order given: into the queue at once, and, if they must wait, into this turn's commit of the outbox. */
  sendPrivate(message: OutboxEntry, receipt: SendReceipt): void {
    this.queue.enqueue(message.id, dmFrame(this.options.realm, message));
    if (this.canAnswer(message.to)) {
      this.#held.set(message.id, message);
      this.awaitAnswer(message, receipt);
      return;
    }
    // The other realm cannot answer now (no bridge, its bridge said so, or it kept a sender
    // waiting): the committed outbox entry is the queue, and the sender hears "queued" at once.
    this.options.outbox.add(message).then(
      () => {
        this.flush();
        receipt.sent(message.id, true);
      },
      (err: unknown) => receipt.failed(err),
    );
  }

  flush(): void {
    if (this.options.port.linked) this.sendUnsent();
  }

  protected commitHeld(id: string): Promise<void> | undefined {
    const held = this.#held.get(id);
    if (held === undefined) return undefined;
    this.#held.delete(id);
    return this.options.outbox.add(held);
  }

  protected answered(id: string): boolean {
    return this.#held.delete(id);
  }
}
