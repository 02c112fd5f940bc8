import { MAX_BATCH_ITEMS, type AckResult, type FederationFrame } from "@realmchat/protocol";

/** Where acknowledgements go: the bridge link, when there is one. */
export interface AckSink {
  send(frame: FederationFrame): void;
}

/**
 * Acknowledgements of messages from other realms on their way to the bridge. They settle one by
 * one (a client's `ack`, a commit, a refusal), so they are gathered and leave as one `acks` frame
 * per origin per event-loop turn (at most MAX_BATCH_ITEMS results each). What is gathered is
 * bounded by what settles in one turn; an ack lost with the link is no loss, since the bridge
 * offers the message again and the realm answers it from what it remembers (InboundRelay).
 */
export class RelayAcks {
  readonly #sink: AckSink;
  readonly #pending = new Map<string, AckResult[]>();
  #scheduled = false;
  readonly #flush = (): void => this.flush();

  constructor(sink: AckSink) {
    this.#sink = sink;
  }

  add(origin: string, result: AckResult): void {
    const results = this.#pending.get(origin);
    if (results === undefined) this.#pending.set(origin, [result]);
    else results.push(result);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** Sends what is gathered now. */
  flush(): void {
    this.#scheduled = false;
    for (const [origin, results] of this.#pending) {
      if (results.length <= MAX_BATCH_ITEMS) this.#sink.send({ t: "acks", origin, results });
      else
        for (let at = 0; at < results.length; at += MAX_BATCH_ITEMS)
          this.#sink.send({ t: "acks", origin, results: results.slice(at, at + MAX_BATCH_ITEMS) });
    }
    this.#pending.clear();
  }
}
