import { MAX_BATCH_ITEMS, type BatchItem } from "@realmchat/protocol";
import type { FederationLink } from "@realmchat/node-runtime";

/**
 * Private messages from peers that were handed to our realm and not yet acknowledged by it, in
 * arrival order. If the realm link drops, they are offered again when it is back; the realm's
 * ledger makes a repeat harmless.
 */
export class RealmDelivery {
  readonly #pending = new Map<string, { readonly origin: string; readonly item: BatchItem }>();

  add(origin: string, item: BatchItem): void {
    this.#pending.set(`${origin}:${item.id}`, { origin, item });
  }

  done(origin: string, id: string): void {
    this.#pending.delete(`${origin}:${id}`);
  }

  /** Sends everything pending, as batches of consecutive messages from the same origin. */
  resend(realm: string, link: FederationLink): void {
    let origin: string | undefined;
    let items: BatchItem[] = [];
    const flush = (): void => {
      if (origin !== undefined && items.length > 0) link.send({ t: "batch", origin, to: realm, items });
      items = [];
    };
    for (const entry of this.#pending.values()) {
      if (entry.origin !== origin || items.length === MAX_BATCH_ITEMS) {
        flush();
        origin = entry.origin;
      }
      items.push(entry.item);
    }
    flush();
  }
}
