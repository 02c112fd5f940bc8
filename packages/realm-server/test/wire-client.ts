import { connect, type Socket } from "node:net";

/**
 * A test client that speaks raw bytes: it writes exactly what a test gives it and reads replies
 * by the classic terminator, so tests see the wire as a seed client would.
 */
export class WireClient {
  readonly socket: Socket;
  #buffer = "";
  #waiters: Array<() => void> = [];
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding("latin1");
    socket.on("data", (text: string) => {
      this.#buffer += text;
      this.#wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.#wake();
    });
    socket.on("error", () => undefined);
  }

  /** A client on a socket the caller connected (from another local address, say). */
  static wrap(socket: Socket): WireClient {
    return new WireClient(socket);
  }

  static connect(port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => resolve(new WireClient(socket)));
      socket.once("error", reject);
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Waits until `ready(buffer)` returns how many bytes to take, or fails after `ms`. */
  async #take(ready: (buffer: string) => number, what: string, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const n = ready(this.#buffer);
      if (n >= 0) {
        const out = this.#buffer.slice(0, n);
        this.#buffer = this.#buffer.slice(n);
        return out;
      }
      if (this.closed) throw new Error(`connection closed while waiting for ${what}; buffered ${JSON.stringify(this.#buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; buffered ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** The next reply's raw text, terminator included. */
  rawReply(): Promise<string> {
    return this.#take((b) => {
      const i = b.indexOf("\r\n\r\n");
      return i === -1 ? -1 : i + 4;
    }, "a reply");
  }

  async reply(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.rawReply()).slice(0, -4)) as Record<string, unknown>;
  }

  async request(line: string): Promise<Record<string, unknown>> {
    this.write(line);
    return this.reply();
  }

  /** The next pushed group line, without its `\n`. */
  async line(): Promise<string> {
    return (
      await this.#take((b) => {
        const i = b.indexOf("\n");
        return i === -1 ? -1 : i + 1;
      }, "a line")
    ).slice(0, -1);
  }

  /** Exactly `text`, which must be what arrives next. */
  async expectExactly(text: string): Promise<void> {
    const got = await this.#take((b) => (b.length >= text.length ? text.length : -1), JSON.stringify(text));
    if (got !== text) throw new Error(`expected ${JSON.stringify(text)}, got ${JSON.stringify(got)}`);
  }

  /** Whatever arrived but was not taken yet. */
  get pending(): string {
    return this.#buffer;
  }

  async auth(user: string, password: string): Promise<string> {
    const reply = await this.request(`auth ${user} ${password} \r\n`);
    if (reply.status !== "OK") throw new Error(`auth failed: ${JSON.stringify(reply)}`);
    return reply.tokenid as string;
  }

  waitClosed(ms = 10_000): Promise<void> {
    return this.#take((b) => (this.closed ? b.length : -1), "the connection to close", ms).then(() => undefined);
  }

  close(): void {
    this.socket.destroy();
  }
}
