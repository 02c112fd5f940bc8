import { CoalescingWriter, describeError, handled, type FlushScheduler, type Logger } from "@realmchat/node-runtime";
import type { RealmLimits } from "../limits.ts";
import { TokenBucket, waitFor } from "../throttle/token-bucket.ts";

/** What a transport needs of its realm: its limits, the turn's flush scheduler, a logger. */
export interface TransportContext {
  readonly limits: Pick<
    RealmLimits,
    "maxPendingRequests" | "outputHighWaterBytes" | "maxOutboundBytes" | "slowReaderTimeoutMs" | "requestsPerSecond" | "requestBurst"
  >;
  readonly scheduler: FlushScheduler;
  readonly logger: Logger;
}

/**
 * What a client connection uses of its stream: a socket (TCP, TLS), or anything that carries lines
 * as one (a WebSocket, WebSocketLineStream). A Node `Duplex` is one.
 */
export interface ClientStream {
  readonly writableHighWaterMark: number;
  /** Bytes written and not yet handed to the kernel. */
  readonly writableLength: number;
  /** A write went over the high-water mark; 'drain' comes once the stream has caught up. */
  readonly writableNeedDrain: boolean;
  write(text: string, done?: (error?: Error | null) => void): boolean;
  /** Writes `text` last and closes gracefully. */
  end(text?: string): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(): unknown;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "drain" | "close", listener: () => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
}

/** The protocol side of a client connection, classic or live. */
export interface TransportOwner<T> {
  /** Bytes from the client (the realm hands over the first chunk itself). */
  receive(chunk: Buffer): void;
  /** One queued request; the next one waits until this one is done (until its promise settles, if it returns one). */
  serve(item: T): Promise<void> | undefined;
  /** Pushed output was refused: the client is too far behind (see `push`). */
  onPushesRefused(): void;
  /** The client caught up after pushes were refused. */
  onPushesResumed(): void;
  /** The stream is gone. */
  onTransportClosed(): void;
}

/**
 * What every client connection needs from its stream, whatever the protocol: requests served
 * strictly in order (so pipelined replies keep their order); back-pressure instead of cut-offs
 * (a client whose output backs up is not served, and a client that sends faster than it is
 * served is not read, until it catches up); pushed events bounded; output coalesced to one write
 * per turn; only a client that reads nothing for a long time disconnected; a graceful close.
 */
export class ClientTransport<T> {
  readonly peer: string;
  readonly #context: TransportContext;
  readonly #stream: ClientStream;
  readonly #owner: TransportOwner<T>;
  readonly #writer: CoalescingWriter;
  /** The connection's request rate: a client over it is served more slowly, not refused. */
  readonly #rate: TokenBucket;
  #queue: T[] = [];
  #head = 0;
  #pumping = false;
  #readPaused = false;
  #pushesRefused = false;
  #closed = false;
  /** The limits, raised to the stream's own buffer size: below it no 'drain' would ever be announced. */
  readonly #highWater: number;
  readonly #maxOutbound: number;
  /** Made only when something must wait for 'drain'. */
  #drainWaiters: Array<() => void> | undefined;
  #slowReaderTimer: NodeJS.Timeout | undefined;

  constructor(context: TransportContext, stream: ClientStream, peer: string, owner: TransportOwner<T>) {
    this.#context = context;
    this.#stream = stream;
    this.peer = peer;
    this.#owner = owner;
    this.#highWater = Math.max(context.limits.outputHighWaterBytes, stream.writableHighWaterMark);
    this.#maxOutbound = Math.max(context.limits.maxOutboundBytes, this.#highWater);
    this.#writer = new CoalescingWriter(stream, context.scheduler);
    this.#rate = new TokenBucket(context.limits.requestsPerSecond, context.limits.requestBurst);
    stream.on("data", (chunk: Buffer) => {
      if (!this.#closed) owner.receive(chunk);
    });
    stream.on("drain", () => this.#onDrain());
    stream.on("close", () => this.#onClose());
    stream.on("error", (err) => context.logger.debug("client connection error", { peer, error: err.message }));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The client's socket is not read now: it has as many requests waiting as it may. */
  get readingPaused(): boolean {
    return this.#readPaused;
  }

  /** Output not yet taken by the client (or the kernel on its behalf). */
  get unsentBytes(): number {
    return this.#stream.writableLength + this.#writer.pendingLength;
  }

  enqueue(item: T): void {
    this.#queue.push(item);
    if (!this.#readPaused && this.#queue.length - this.#head >= this.#context.limits.maxPendingRequests) {
      this.#readPaused = true;
      this.#stream.pause();
    }
    if (!this.#pumping) handled(this.#pump(), this.#pumpFailed);
  }

  /** A defect, not a request's failure (those are answered in `serve`): the connection cannot go on. */
  readonly #pumpFailed = (err: unknown): void => {
    this.#pumping = false;
    this.#context.logger.error("serving a connection failed; closing it", { peer: this.peer, error: describeError(err) });
    this.#stream.destroy();
  };

  async #pump(): Promise<void> {
    this.#pumping = true;
    while (this.#head < this.#queue.length && !this.#closed) {
      if (this.unsentBytes > this.#highWater) {
        await this.#untilDrained();
        continue;
      }
      const wait = this.#rate.take();
      if (wait > 0) await waitFor(wait);
      const item = this.#queue[this.#head] as T;
      this.#head++;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      try {
        // A request served at once costs no promise and no turn of the microtask queue.
        const serving = this.#owner.serve(item);
        if (serving !== undefined) await serving;
      } catch (err) {
        this.#context.logger.error("request failed", { peer: this.peer, error: describeError(err) });
      }
      if (this.#readPaused && this.#queue.length - this.#head < this.#context.limits.maxPendingRequests / 2) {
        this.#readPaused = false;
        this.#stream.resume();
      }
    }
    this.#pumping = false;
  }

  /** Waits until the client has read its backlog; one that reads nothing for too long is disconnected. */
  #untilDrained(): Promise<void> {
    this.#writer.flush();
    // What the kernel took at once needs no waiting; 'drain' comes only after a refused write.
    if (!this.#stream.writableNeedDrain) return Promise.resolve();
    this.#watchSlowReader();
    return new Promise((resolve) => (this.#drainWaiters ??= []).push(resolve));
  }

  #watchSlowReader(): void {
    this.#slowReaderTimer ??= setTimeout(() => {
      this.#context.logger.warn("client has read nothing for too long; disconnecting", { peer: this.peer, unsent: this.unsentBytes });
      this.#stream.destroy();
    }, this.#context.limits.slowReaderTimeoutMs);
  }

  #releaseDrainWaiters(): void {
    clearTimeout(this.#slowReaderTimer);
    this.#slowReaderTimer = undefined;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = undefined;
    for (const resolve of waiters ?? []) resolve();
  }

  #onDrain(): void {
    this.#releaseDrainWaiters();
    if (this.#pushesRefused && this.unsentBytes <= this.#highWater) {
      this.#pushesRefused = false;
      this.#owner.onPushesResumed();
    }
  }

  /** A reply: always written (the reply's request was served only because there was room). */
  write(text: string): void {
    this.#writer.write(text);
  }

  /** Writes `text`; resolves true once it is handed to the operating system, false if it never will be. */
  writeThen(text: string): Promise<boolean> {
    const written = new Promise<boolean>((resolve) => this.#writer.writeThen(text, resolve));
    // A client that never reads this reply must not hold the connection forever.
    this.#writer.flush();
    if (this.#stream.writableNeedDrain) this.#watchSlowReader();
    return written;
  }

  /**
   * An event nobody asked for (a chat line, a pushed message). Refused, with `onPushesRefused`
   * told once, while the client is further behind than `maxOutboundBytes`; so a client that
   * stops reading costs at most that much memory.
   */
  push(text: string): boolean {
    if (this.#pushesRefused || this.#closed) return false;
    if (this.unsentBytes + text.length > this.#maxOutbound) this.#writer.flush();
    if (this.unsentBytes + text.length > this.#maxOutbound) {
      this.#pushesRefused = true;
      this.#context.logger.warn("client is not reading its events; pushing stops until it catches up", { peer: this.peer });
      this.#owner.onPushesRefused();
      // The backlog ends in a drain for pushes to resume, and a client that never reads is let go.
      this.#watchSlowReader();
      return false;
    }
    this.#writer.write(text);
    return true;
  }

  /** Writes pending output now rather than at the end of the turn. */
  flush(): void {
    this.#writer.flush();
  }

  /** Writes `text` at once as a write of its own (pending output should be flushed first). */
  writeAlone(text: string): void {
    if (!this.#closed) this.#stream.write(text);
  }

  /** Ends the connection after pending output and `lastWords`; a peer that does not close in time is cut off. */
  close(lastWords?: string): void {
    if (this.#closed) return;
    this.#writer.close();
    this.#closed = true;
    this.#releaseDrainWaiters();
    // Reading goes on (and is discarded) so that the peer's FIN is seen and the socket closes.
    this.#stream.resume();
    this.#stream.end(lastWords);
    setTimeout(() => this.#stream.destroy(), 1000).unref();
  }

  #onClose(): void {
    this.#closed = true;
    this.#releaseDrainWaiters();
    this.#writer.discard();
    this.#queue = [];
    this.#head = 0;
    this.#owner.onTransportClosed();
  }
}
