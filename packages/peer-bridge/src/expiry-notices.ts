import type { Logger } from "@realmchat/node-runtime";
import type { FrameOf } from "@realmchat/protocol";
import type { PeerOutbox } from "./peer-outbox.ts";

/**
 * Messages that stayed queued past the expiry: each is taken out of its queue and offered to our
 * realm as an `undelivered` notice (again after every realm reconnect) until the realm has stored
 * the notice; only then is the message deleted from disk.
 */
export class ExpiryNotices {
  readonly #self: string;
  readonly #expiryMs: number;
  readonly #logger: Logger;
  readonly #pending = new Map<string, { readonly outbox: PeerOutbox; readonly frame: FrameOf<"dm"> }>();

  constructor(self: string, expiryMs: number, logger: Logger) {
    this.#self = self;
    this.#expiryMs = expiryMs;
    this.#logger = logger;
  }

  /** Moves expired messages out of the queues; returns the notices to send now. */
  sweep(outboxes: Iterable<PeerOutbox>): FrameOf<"undelivered">[] {
    const cutoff = Date.now() - this.#expiryMs;
    const notices: FrameOf<"undelivered">[] = [];
    for (const outbox of outboxes) {
      for (const frame of outbox.takeExpired(cutoff)) {
        this.#logger.warn("message expired undelivered", { id: frame.id, to: outbox.peer });
        this.#pending.set(frame.id, { outbox, frame });
        notices.push(this.#notice(frame));
      }
    }
    return notices;
  }

  /** Every notice our realm has not stored yet (after it reconnects). */
  all(): FrameOf<"undelivered">[] {
    return [...this.#pending.values()].map((p) => this.#notice(p.frame));
  }

  /** Our realm stored the notice: the message may go. */
  stored(id: string): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    pending.outbox.forget(id);
  }

  #notice(frame: FrameOf<"dm">): FrameOf<"undelivered"> {
    const days = (this.#expiryMs / 86_400_000).toFixed(1);
    return {
      t: "undelivered",
      id: frame.id,
      origin: this.#self,
      to: frame.to,
      from: frame.from,
      user: frame.user,
      text: frame.text,
      sentAt: frame.sentAt,
      reason: `${frame.to} unreachable for ${days} days`,
    };
  }
}
