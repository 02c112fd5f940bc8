import { connect, type Socket } from "node:net";

/**
 * An attacker's TCP connection from a chosen loopback address (so the per-address limits it
 * meets are its own, not the honest clients'), counting classic replies as they stream in.
 */
export class RawConnection {
  readonly socket: Socket;
  replies = 0;
  /** The first replies, kept for inspection. */
  readonly firstReplies: string[] = [];
  text = "";
  closed = false;
  #tail = "";

  private constructor(socket: Socket, keepText: boolean) {
    this.socket = socket;
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      if (keepText) {
        this.text += chunk;
        // A long read keeps its end, where notices and last replies are.
        if (this.text.length > 4_000_000) this.text = this.text.slice(-500_000);
      }
      const parts = (this.#tail + chunk).split("\r\n\r\n");
      this.#tail = parts.pop() as string;
      this.replies += parts.length;
      for (const part of parts) if (this.firstReplies.length < 20) this.firstReplies.push(part);
    });
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => undefined);
  }

  static open(port: number, from: string, keepText = false): Promise<RawConnection> {
    return new Promise((resolve) => {
      const socket = connect({ port, host: "127.0.0.1", localAddress: from });
      const connection = new RawConnection(socket, keepText);
      socket.once("connect", () => resolve(connection));
      socket.once("error", () => resolve(connection));
    });
  }

  write(text: string): boolean {
    return this.closed ? false : this.socket.write(text);
  }

  /** Waits for `n` replies in all (or until `ms`); the last one's text. */
  async untilReplies(n: number, ms = 10_000): Promise<string | undefined> {
    const deadline = Date.now() + ms;
    while (this.replies < n && !this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.firstReplies[n - 1];
  }

  /** Logs in on the classic protocol; the token. */
  async auth(user: string, password: string): Promise<string> {
    const before = this.replies;
    this.write(`auth ${user} ${password}\r\n`);
    await this.untilReplies(before + 1);
    const reply = this.firstReplies[before] ?? "";
    const token = /"tokenid": "([^"]+)"/.exec(reply)?.[1];
    if (token === undefined) throw new Error(`login of ${user} failed: ${reply}`);
    return token;
  }

  close(): void {
    this.socket.destroy();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
