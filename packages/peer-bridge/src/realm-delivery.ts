import { MAX_BATCH_ITEMS, type BatchItem } from "@realmchat/protocol";
import type { FederationLink } from "@realmchat/node-runtime";

/**
 * Private messages from peers that were handed to our realm and not yet acknowledged by it, in
 * arrival order for each origin. If the realm link drops, they are offered again when it is back;
 * the realm's ledger, or its memory of what its clients acknowledged, makes a repeat harmless. Ids
 * are unique only within their origin, hence a map per origin (rather than a key made of both for
 * every message).
 */
export class RealmDelivery {
  readonly #pending = new Map<string, Map<string, BatchItem>>();

  add(origin: string, item: BatchItem): void {
    let fromOrigin = this.#pending.get(origin);
    if (fromOrigin === undefined) {
      fromOrigin = new Map();
      this.#pending.set(origin, fromOrigin);
    }
    fromOrigin.set(item.id, item);
  }

  done(origin: string, id: string): void {
    this.#pending.get(origin)?.delete(id);
  }

  /** Sends everything pending, each origin's messages in order, in batches as large as allowed. */
  resend(realm: string, link: Pick<FederationLink, "send">): void {
    for (const [origin, fromOrigin] of this.#pending) {
      let items: BatchItem[] = [];
      for (const item of fromOrigin.values()) {
        items.push(item);
        if (items.length === MAX_BATCH_ITEMS) {
          link.send({ t: "batch", origin, to: realm, items });
          items = [];
        }
      }
      if (items.length > 0) link.send({ t: "batch", origin, to: realm, items });
    }
  }
}
