import { connect, type Socket } from "node:net";
import type { BenchClient } from "./bench-system.ts";

/**
 * An IRC client for the benchmark: registers a nick, sends PRIVMSG to nicks and channels, and
 * hands the text of every PRIVMSG it receives to `onText`. Writes of one turn go out together.
 */
export class IrcBenchClient implements BenchClient {
  readonly #socket: Socket;
  #buffer = "";
  #out = "";
  #joined: ((ok: boolean) => void) | undefined;
  onText: (text: string) => void = () => undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding("utf8");
    socket.on("error", () => undefined);
  }

  static connect(port: number, nick: string): Promise<IrcBenchClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      const client = new IrcBenchClient(socket);
      socket.once("error", reject);
      socket.on("data", (text: string) => client.#receive(text, () => resolve(client)));
      socket.once("connect", () => socket.write(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`));
    });
  }

  #receive(text: string, registered: () => void): void {
    this.#buffer += text;
    let start = 0;
    for (let end = this.#buffer.indexOf("\r\n"); end !== -1; end = this.#buffer.indexOf("\r\n", start)) {
      const line = this.#buffer.slice(start, end);
      start = end + 2;
      const privmsg = line.indexOf(" PRIVMSG ");
      if (privmsg !== -1) {
        const colon = line.indexOf(" :", privmsg + 9);
        if (colon !== -1) this.onText(line.slice(colon + 2));
        continue;
      }
      if (line.startsWith("PING")) this.#socket.write(`PONG${line.slice(4)}\r\n`);
      else if (line.includes(" 001 ")) registered();
      else if (line.includes(" 366 ")) this.#joined?.(true);
    }
    this.#buffer = this.#buffer.slice(start);
  }

  #write(line: string): void {
    if (this.#out === "") queueMicrotask(() => this.#flush());
    this.#out += line;
  }

  #flush(): void {
    const out = this.#out;
    this.#out = "";
    this.#socket.write(out);
  }

  sendPrivate(to: string, text: string): void {
    this.#write(`PRIVMSG ${to} :${text}\r\n`);
  }

  say(group: string, text: string): void {
    this.#write(`PRIVMSG ${group} :${text}\r\n`);
  }

  /** Joins a channel; resolves at the end of its names list (366). */
  join(group: string): Promise<void> {
    return new Promise((resolve) => {
      this.#joined = () => {
        this.#joined = undefined;
        resolve();
      };
      this.#socket.write(`JOIN ${group}\r\n`);
    });
  }

  close(): void {
    this.#socket.destroy();
  }
}
