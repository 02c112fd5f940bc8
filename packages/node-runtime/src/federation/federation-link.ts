import type { Duplex } from "node:stream";
import {
  decodeFederationFrame,
  encodeFederationFrame,
  HandshakeAcceptor,
  HandshakeDialer,
  LineDecoder,
  type FederationFrame,
  type FrameError,
  type LineSink,
} from "@realmchat/protocol";
import type { Logger } from "../logger.ts";
import { CoalescingWriter } from "../output/coalescing-writer.ts";
import type { FlushScheduler } from "../output/flush-scheduler.ts";

export type LinkRole =
  | { readonly kind: "dialer"; readonly peer: string; readonly secret: string }
  | { readonly kind: "acceptor"; readonly secretFor: (realm: string) => string | undefined };

export interface LinkHandler {
  onLinkReady(link: FederationLink): void;
  onLinkFrame(link: FederationLink, frame: FederationFrame): void;
  onLinkClosed(link: FederationLink): void;
}

export interface LinkTiming {
  /** A ping goes out this often; a link silent for three periods is dropped. */
  readonly heartbeatMs: number;
  readonly handshakeTimeoutMs: number;
}

export interface FederationLinkOptions extends LinkTiming {
  readonly self: string;
  readonly role: LinkRole;
  readonly handler: LinkHandler;
  readonly scheduler: FlushScheduler;
  readonly logger: Logger;
  /** For logs: what this link is (`realm server`, `peer realm2`, an address). */
  readonly label: string;
  /** What log lines call the link (default `link`; the realm says `bridge link`). */
  readonly subject?: string;
  readonly maxFrameBytes?: number;
  /**
   * Unsent output above which the link is dropped (default 16 MiB): a peer that does not keep up
   * must not make this process grow. Dropping is what a dead peer gets too: private messages stay
   * queued and are offered again, group members on the other side are told their group paused.
   */
  readonly maxBufferedBytes?: number;
}

const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * One authenticated federation link over a byte stream: newline-delimited JSON frames, mutual
 * challenge-response first, heartbeats after, output coalesced to one write per turn.
 */
export class FederationLink implements LineSink {
  readonly options: FederationLinkOptions;
  readonly #stream: Duplex;
  readonly #subject: string;
  readonly #decoder: LineDecoder;
  #dialer: HandshakeDialer | undefined;
  #acceptor: HandshakeAcceptor | undefined;
  #peer: string | undefined;
  #ready = false;
  #closed = false;
  readonly #writer: CoalescingWriter;
  #lastHeard = Date.now();
  readonly #timer: NodeJS.Timeout;
  readonly #handshakeDeadline: number;
  /** Resolves when the link is gone, with whether it had become ready. */
  readonly closed: Promise<boolean>;
  #resolveClosed!: (wasReady: boolean) => void;

  constructor(stream: Duplex, options: FederationLinkOptions) {
    this.options = options;
    this.#stream = stream;
    this.#subject = options.subject ?? "link";
    this.#decoder = new LineDecoder({ maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024 });
    this.#writer = new CoalescingWriter(stream, options.scheduler);
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#handshakeDeadline = Date.now() + options.handshakeTimeoutMs;
    stream.on("data", (chunk: Buffer) => {
      this.#lastHeard = Date.now();
      this.#decoder.push(chunk, this);
    });
    stream.on("close", () => this.#onClose());
    stream.on("error", (err) => options.logger.info(`${this.#subject} error`, { link: options.label, error: err.message }));
    this.#timer = setInterval(() => this.#tick(), Math.max(20, Math.min(options.heartbeatMs, options.handshakeTimeoutMs) / 2));
    this.#timer.unref();
    if (options.role.kind === "dialer") {
      this.#dialer = new HandshakeDialer(options.self, options.role.peer, options.role.secret);
      this.send(this.#dialer.start());
    } else {
      this.#acceptor = new HandshakeAcceptor(options.self, options.role.secretFor);
    }
  }

  /** The authenticated peer realm; undefined until the handshake is done. */
  get peer(): string | undefined {
    return this.#peer;
  }

  /** Whether the link has ended (closed or failed). */
  get closedNow(): boolean {
    return this.#closed;
  }

  get ready(): boolean {
    return this.#ready && !this.#closed;
  }

  get bufferedBytes(): number {
    return this.#stream.writableLength + this.#writer.pendingLength;
  }

  #tick(): void {
    const now = Date.now();
    if (!this.#ready) {
      if (now > this.#handshakeDeadline) {
        this.options.logger.warn(`${this.#subject} handshake timed out`, { link: this.options.label });
        this.close();
      }
      return;
    }
    if (now - this.#lastHeard > 3 * this.options.heartbeatMs) {
      this.options.logger.warn(`${this.#subject} silent; dropping it`, { link: this.options.label, peer: this.#peer });
      this.close();
      return;
    }
    this.send({ t: "ping", ts: now });
  }

  onLine(line: string): void {
    // The rest of a chunk after a fatal frame is not read (nor logged line by line).
    if (this.#closed) return;
    const decoded = decodeFederationFrame(line);
    if (!decoded.ok) {
      this.options.logger.warn(`malformed frame; dropping the ${this.#subject}`, {
        link: this.options.label,
        error: decoded.error.message,
      });
      this.close();
      return;
    }
    const frame = decoded.frame;
    if (!this.#ready) {
      this.#handshake(frame);
      return;
    }
    if (frame.t === "ping") this.send({ t: "pong", ts: frame.ts });
    else if (frame.t !== "pong") this.options.handler.onLinkFrame(this, frame);
  }

  onFrameError(error: FrameError): void {
    if (this.#closed) return;
    this.options.logger.warn(`oversized or non-UTF-8 frame; dropping the ${this.#subject}`, {
      link: this.options.label,
      error: error.message,
    });
    this.close();
  }

  #handshake(frame: FederationFrame): void {
    const step = this.#dialer !== undefined ? this.#dialer.receive(frame) : (this.#acceptor as HandshakeAcceptor).receive(frame);
    if (step.kind === "send") {
      this.send(step.frame);
      return;
    }
    if (step.frame !== undefined) this.send(step.frame);
    if (step.kind === "failed") {
      this.options.logger.warn(`${this.#subject} refused`, { link: this.options.label, reason: step.error.message });
      this.close();
      return;
    }
    this.#peer = step.peer;
    this.#ready = true;
    this.#dialer = undefined;
    this.#acceptor = undefined;
    this.options.logger.info(`${this.#subject} up`, { link: this.options.label, peer: step.peer });
    this.options.handler.onLinkReady(this);
  }

  send(frame: FederationFrame): void {
    if (this.#closed) return;
    this.#writer.write(encodeFederationFrame(frame));
    if (this.bufferedBytes > (this.options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES)) {
      this.options.logger.warn(`${this.#subject} peer is not reading; dropping the link`, {
        link: this.options.label,
        peer: this.#peer,
        buffered: this.bufferedBytes,
      });
      this.close();
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#writer.close();
    // end() lets a last `refused` frame reach the peer; destroy() soon after frees the socket.
    this.#stream.end();
    setTimeout(() => this.#stream.destroy(), 200).unref();
    this.#onClose();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#writer.discard();
    clearInterval(this.#timer);
    const wasReady = this.#ready;
    this.#ready = false;
    if (wasReady) this.options.logger.info(`${this.#subject} down`, { link: this.options.label, peer: this.#peer });
    if (wasReady) this.options.handler.onLinkClosed(this);
    this.#resolveClosed(wasReady);
  }
}
