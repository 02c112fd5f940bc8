import { connect, type Socket } from "node:net";
import { describeError, dialPinned, type FederationLink, type Logger } from "@realmchat/node-runtime";
import type { Backoff } from "./backoff.ts";
import type { Endpoint } from "./bridge-config.ts";
import { LinkOutageLog } from "./link-outage-log.ts";

/** Where to dial: plain TCP, or TLS trusting only the certificate with `fingerprint`. */
export type DialTarget = Endpoint & { readonly fingerprint?: string | undefined };

/**
 * Keeps one outgoing link alive: dial, hand the socket to `makeLink`, and when the link ends (or
 * the dial fails) wait a backed-off, jittered moment and dial again. A link that got through its
 * handshake resets the backoff. With several targets (the instances of one realm server), a
 * failed dial goes on to the next at once; the wait comes after all of them failed.
 */
export class Redialer {
  readonly #targets: readonly DialTarget[];
  #next = 0;
  readonly #makeLink: (socket: Socket) => FederationLink;
  readonly #backoff: Backoff;
  readonly #logger: Logger;
  readonly #label: string;
  readonly #outage: LinkOutageLog;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #link: FederationLink | undefined;

  constructor(
    targets: DialTarget | readonly DialTarget[],
    makeLink: (socket: Socket) => FederationLink,
    backoff: Backoff,
    logger: Logger,
    label: string,
    reportEveryMs?: number,
  ) {
    this.#targets = Array.isArray(targets) ? targets : [targets as DialTarget];
    this.#makeLink = makeLink;
    this.#backoff = backoff;
    this.#logger = logger;
    this.#label = label;
    this.#outage = new LinkOutageLog(logger, label, reportEveryMs);
  }

  /** What this link's name is in logs and status (`realm server`, `peer realm2`). */
  get label(): string {
    return this.#label;
  }

  /** Dials failed since the link was last up (for `peer-bridge status`). */
  get failures(): LinkOutageLog["failures"] {
    return this.#outage.failures;
  }

  start(): void {
    this.#run().catch(this.#runFailed);
  }

  /** A defect in making a link must not end redialing for good: it is logged and the loop starts again. */
  readonly #runFailed = (err: unknown): void => {
    this.#link = undefined;
    this.#logger.error("redialing failed; starting again", { link: this.#label, error: describeError(err) });
    if (!this.#stopped) this.#timer = setTimeout(() => this.start(), this.#backoff.next());
  };

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#wake?.();
    this.#link?.close();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const socket = await this.#dialAny();
      let wasReady = false;
      if (socket !== undefined && !this.#stopped) {
        this.#link = this.#makeLink(socket);
        wasReady = await this.#link.closed;
        this.#link = undefined;
        if (wasReady) this.#backoff.reset();
        else if (!this.#stopped) this.#outage.dialFailed("the link ended before its handshake was done");
      }
      if (this.#stopped) return;
      const wait = this.#backoff.next();
      if (wasReady) this.#outage.linkEnded(wait);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, wait);
      });
    }
  }

  /** Tries each target once, starting with the one that answered last. */
  async #dialAny(): Promise<Socket | undefined> {
    for (let tried = 0; tried < this.#targets.length && !this.#stopped; tried++) {
      const socket = await this.#dial(this.#targets[this.#next] as DialTarget);
      if (socket !== undefined) return socket;
      this.#next = (this.#next + 1) % this.#targets.length;
    }
    return undefined;
  }

  async #dial(target: DialTarget): Promise<Socket | undefined> {
    const pin = target.fingerprint;
    if (pin !== undefined) {
      const dialed = await dialPinned(target, pin);
      if (dialed.ok) return dialed.socket;
      this.#outage.dialFailed(dialed.reason);
      return undefined;
    }
    return new Promise((resolve) => {
      const socket = connect(target.port, target.host);
      socket.setNoDelay(true);
      socket.once("connect", () => {
        socket.removeAllListeners("error");
        resolve(socket);
      });
      socket.once("error", (err) => {
        this.#outage.dialFailed(err.message);
        resolve(undefined);
      });
    });
  }
}
