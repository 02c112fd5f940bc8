import { connect } from "node:net";
import type { Backoff } from "./backoff.ts";
import type { Endpoint } from "./bridge-config.ts";
import type { FederationLink, Logger } from "@realmchat/node-runtime";
import type { Socket } from "node:net";

/**
 * Keeps one outgoing link alive: dial, hand the socket to `makeLink`, and when the link ends (or
 * the dial fails) wait a backed-off, jittered moment and dial again. A link that got through its
 * handshake resets the backoff.
 */
export class Redialer {
  readonly #target: Endpoint;
  readonly #makeLink: (socket: Socket) => FederationLink;
  readonly #backoff: Backoff;
  readonly #logger: Logger;
  readonly #label: string;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #link: FederationLink | undefined;

  constructor(target: Endpoint, makeLink: (socket: Socket) => FederationLink, backoff: Backoff, logger: Logger, label: string) {
    this.#target = target;
    this.#makeLink = makeLink;
    this.#backoff = backoff;
    this.#logger = logger;
    this.#label = label;
  }

  start(): void {
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#wake?.();
    this.#link?.close();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const socket = await this.#dial();
      if (socket !== undefined && !this.#stopped) {
        this.#link = this.#makeLink(socket);
        const wasReady = await this.#link.closed;
        this.#link = undefined;
        if (wasReady) this.#backoff.reset();
      }
      if (this.#stopped) return;
      const wait = this.#backoff.next();
      this.#logger.info("redialing", { link: this.#label, in_ms: wait });
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, wait);
      });
    }
  }

  #dial(): Promise<Socket | undefined> {
    return new Promise((resolve) => {
      const socket = connect(this.#target.port, this.#target.host);
      socket.setNoDelay(true);
      socket.once("connect", () => {
        socket.removeAllListeners("error");
        resolve(socket);
      });
      socket.once("error", (err) => {
        this.#logger.info("dial failed", { link: this.#label, error: err.message });
        resolve(undefined);
      });
    });
  }
}
