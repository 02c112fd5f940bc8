import type { FederationLink } from "@realmchat/node-runtime";
import type { PeerOutbox } from "./peer-outbox.ts";

interface Pumpable {
  readonly link: FederationLink | undefined;
  readonly outbox: PeerOutbox;
}

/**
 * Pumps a peer's queue once at the end of this turn rather than once per message, so that
 * messages committed together leave together in one batch.
 */
export class OutboxPumpScheduler {
  readonly #due = new Set<Pumpable>();
  readonly #pumpAll = (): void => {
    for (const peer of this.#due) if (peer.link !== undefined) peer.outbox.pump(peer.link);
    this.#due.clear();
  };

  schedule(peer: Pumpable): void {
    if (this.#due.size === 0) setImmediate(this.#pumpAll);
    this.#due.add(peer);
  }
}
