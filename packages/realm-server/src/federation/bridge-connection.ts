import type { Duplex } from "node:stream";
import {
  CoalescingWriter,
  decodeFederationFrame,
  encodeFederationFrame,
  HandshakeAcceptor,
  LineDecoder,
  type FederationFrame,
  type FrameError,
  type LineSink,
} from "@realmchat/protocol";
import type { FlushScheduler } from "@realmchat/protocol";
import type { Logger } from "../logger.ts";
import type { BridgeLink, Federation } from "./federation.ts";

export interface BridgeConnectionOptions {
  readonly realm: string;
  readonly secret: string;
  readonly federation: Federation;
  readonly scheduler: FlushScheduler;
  readonly logger: Logger;
  /** Close the link when nothing (not even a ping) arrived for this long. */
  readonly idleTimeoutMs: number;
  readonly maxFrameBytes: number;
}

/**
 * The realm's side of the link to its own bridge: it accepts only a bridge that proves it holds
 * the realm's federation secret, then passes frames to {@link Federation}.
 */
export class BridgeConnection implements LineSink, BridgeLink {
  readonly #options: BridgeConnectionOptions;
  readonly #stream: Duplex;
  readonly #peer: string;
  readonly #decoder: LineDecoder;
  #handshake: HandshakeAcceptor | undefined;
  readonly #writer: CoalescingWriter;
  #closed = false;
  #lastHeard = Date.now();
  readonly #watchdog: NodeJS.Timeout;

  constructor(stream: Duplex, peer: string, options: BridgeConnectionOptions) {
    this.#options = options;
    this.#stream = stream;
    this.#peer = peer;
    this.#decoder = new LineDecoder({ maxFrameBytes: options.maxFrameBytes });
    this.#writer = new CoalescingWriter(stream, options.scheduler);
    this.#handshake = new HandshakeAcceptor(options.realm, (realm) => (realm === options.realm ? options.secret : undefined));
    stream.on("data", (chunk: Buffer) => {
      this.#lastHeard = Date.now();
      this.#decoder.push(chunk, this);
    });
    stream.on("close", () => this.#onClose());
    stream.on("error", (err) => options.logger.info("bridge link error", { peer, error: err.message }));
    this.#watchdog = setInterval(() => {
      if (Date.now() - this.#lastHeard > options.idleTimeoutMs) {
        options.logger.warn("bridge link silent; closing", { peer });
        this.close();
      }
    }, Math.max(50, Math.floor(options.idleTimeoutMs / 4)));
    this.#watchdog.unref();
  }

  onLine(line: string): void {
    const decoded = decodeFederationFrame(line);
    if (!decoded.ok) {
      this.#options.logger.warn("bad frame from bridge; closing", { peer: this.#peer, error: decoded.error.message });
      this.close();
      return;
    }
    this.#onFrame(decoded.frame);
  }

  onFrameError(error: FrameError): void {
    this.#options.logger.warn("bad frame from bridge; closing", { peer: this.#peer, error: error.message });
    this.close();
  }

  #onFrame(frame: FederationFrame): void {
    const handshake = this.#handshake;
    if (handshake !== undefined) {
      const step = handshake.receive(frame);
      if (step.frame !== undefined || step.kind === "send") this.send(step.kind === "send" ? step.frame : (step.frame as FederationFrame));
      if (step.kind === "failed") {
        this.#options.logger.warn("bridge link refused", { peer: this.#peer, reason: step.error.message });
        this.close();
      } else if (step.kind === "done") {
        this.#handshake = undefined;
        this.#options.federation.attach(this);
      }
      return;
    }
    if (frame.t === "ping") this.send({ t: "pong", ts: frame.ts });
    else if (frame.t !== "pong") this.#options.federation.onFrame(frame);
  }

  send(frame: FederationFrame): void {
    this.#writer.write(encodeFederationFrame(frame));
  }

  close(): void {
    if (this.#closed) return;
    this.#writer.close();
    this.#closed = true;
    clearInterval(this.#watchdog);
    this.#stream.end();
    setTimeout(() => this.#stream.destroy(), 500).unref();
    this.#options.federation.detach(this);
  }

  #onClose(): void {
    clearInterval(this.#watchdog);
    this.#writer.discard();
    if (!this.#closed) {
      this.#closed = true;
      this.#options.federation.detach(this);
    }
  }
}
