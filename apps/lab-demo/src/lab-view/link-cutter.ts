import { connect, createServer, type Server, type Socket } from "node:net";
import type { Endpoint } from "@realmchat/peer-bridge";

/**
 * A TCP relay the lab puts between two bridges so that the page can cut their link and restore
 * it: cut, it drops every connection through it and refuses new ones (the dialing bridge sees its
 * link fall and redials with backoff); restored, it passes bytes on unchanged again.
 */
export class LinkCutter {
  readonly #server: Server;
  readonly #target: Endpoint;
  readonly #pairs = new Set<Socket>();
  #cut = false;

  private constructor(server: Server, target: Endpoint) {
    this.#server = server;
    this.#target = target;
  }

  /** Listens on a free port of 127.0.0.1 and relays to `target`. */
  static async open(target: Endpoint): Promise<LinkCutter> {
    const server = createServer();
    const cutter = new LinkCutter(server, target);
    server.on("connection", (socket) => cutter.#relay(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return cutter;
  }

  get address(): Endpoint {
    const address = this.#server.address();
    if (address === null || typeof address === "string") throw new RangeError("the link cutter is not listening");
    return { host: "127.0.0.1", port: address.port };
  }

  get isCut(): boolean {
    return this.#cut;
  }

  #relay(inbound: Socket): void {
    if (this.#cut) {
      inbound.destroy();
      return;
    }
    const outbound = connect(this.#target.port, this.#target.host);
    inbound.setNoDelay(true);
    outbound.setNoDelay(true);
    for (const [from, to] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      this.#pairs.add(from);
      from.pipe(to);
      from.on("error", () => to.destroy());
      from.on("close", () => {
        this.#pairs.delete(from);
        to.destroy();
      });
    }
  }

  cut(): void {
    this.#cut = true;
    for (const socket of this.#pairs) socket.destroy();
  }

  restore(): void {
    this.#cut = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
