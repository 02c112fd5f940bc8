import type { Duplex } from "node:stream";
import { CoalescingWriter, type FlushScheduler, type Logger } from "@realmchat/node-runtime";
import type { RealmLimits } from "../limits.ts";

/** What a transport needs of its realm: its limits, the turn's flush scheduler, a logger. */
export interface TransportContext {
  readonly limits: Pick<RealmLimits, "maxPendingRequests" | "maxOutboundBytes">;
  readonly scheduler: FlushScheduler;
  readonly logger: Logger;
}

/** The protocol side of a client connection, classic or live. */
export interface TransportOwner<T> {
  /** Bytes from the client (the realm hands over the first chunk itself). */
  receive(chunk: Buffer): void;
  /** One queued request; the next one waits until this one is done. */
  serve(item: T): Promise<void>;
  /** The stream is gone. */
  onTransportClosed(): void;
}

/**
 * What every client connection needs from its stream, whatever the protocol: requests served
 * strictly in order (so pipelined replies keep their order), a client that sends faster than it
 * is served not read for a while, output coalesced to one write per turn, a client that stops
 * reading cut off, and a graceful close.
 */
export class ClientTransport<T> {
  readonly peer: string;
  readonly #context: TransportContext;
  readonly #stream: Duplex;
  readonly #owner: TransportOwner<T>;
  readonly #writer: CoalescingWriter;
  #queue: T[] = [];
  #head = 0;
  #pumping = false;
  #paused = false;
  #closed = false;

  constructor(context: TransportContext, stream: Duplex, peer: string, owner: TransportOwner<T>) {
    this.#context = context;
    this.#stream = stream;
    this.peer = peer;
    this.#owner = owner;
    this.#writer = new CoalescingWriter(stream, context.scheduler, () => this.#checkSlowReader());
    stream.on("data", (chunk: Buffer) => {
      if (!this.#closed) owner.receive(chunk);
    });
    stream.on("close", () => this.#onClose());
    stream.on("error", (err) => context.logger.info("client connection error", { peer, error: err.message }));
  }

  get closed(): boolean {
    return this.#closed;
  }

  enqueue(item: T): void {
    this.#queue.push(item);
    if (!this.#paused && this.#queue.length - this.#head >= this.#context.limits.maxPendingRequests) {
      this.#paused = true;
      this.#stream.pause();
    }
    if (!this.#pumping) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    while (this.#head < this.#queue.length && !this.#closed) {
      const item = this.#queue[this.#head] as T;
      this.#head++;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      try {
        await this.#owner.serve(item);
      } catch (err) {
        this.#context.logger.error("request failed", { peer: this.peer, error: (err as Error).stack ?? String(err) });
      }
      if (this.#paused && this.#queue.length - this.#head < this.#context.limits.maxPendingRequests / 2) {
        this.#paused = false;
        this.#stream.resume();
      }
    }
    this.#pumping = false;
  }

  write(text: string): void {
    this.#writer.write(text);
  }

  /** Writes pending output now rather than at the end of the turn. */
  flush(): void {
    this.#writer.flush();
  }

  /** Writes `text` at once as a write of its own (pending output should be flushed first). */
  writeAlone(text: string): void {
    if (!this.#closed) this.#stream.write(text);
  }

  #checkSlowReader(): void {
    if (this.#stream.writableLength > this.#context.limits.maxOutboundBytes) {
      this.#context.logger.warn("client is not reading what it is sent; closing", { peer: this.peer });
      this.#stream.destroy();
    }
  }

  /** Ends the connection after pending output and `lastWords`; a peer that does not close in time is cut off. */
  close(lastWords?: string): void {
    if (this.#closed) return;
    this.#writer.close();
    this.#closed = true;
    // Reading goes on (and is discarded) so that the peer's FIN is seen and the socket closes.
    this.#stream.end(lastWords);
    setTimeout(() => this.#stream.destroy(), 1000).unref();
  }

  #onClose(): void {
    this.#closed = true;
    this.#writer.discard();
    this.#queue = [];
    this.#head = 0;
    this.#owner.onTransportClosed();
  }
}
