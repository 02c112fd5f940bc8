import { connect, type Socket } from "node:net";
import { eventually } from "./federation-fixtures.ts";

/**
 * Writes the exact bytes the seed's `chat-cli` writes and reads as it reads: replies end at
 * `\r\n\r\n` and must survive being decoded 64 bytes at a time; in group mode each read is
 * printed on its own and a read of exactly `exit` ends the group reader.
 */
export class SeedStyleClient {
  readonly socket: Socket;
  readonly chunks: string[] = [];
  #buffer = Buffer.alloc(0);
  token = "";

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk.toString("utf8"));
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
    });
  }

  static connect(port: number): Promise<SeedStyleClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => resolve(new SeedStyleClient(s)));
      s.once("error", reject);
    });
  }

  /** `sendstring`: write, then read until the bytes so far end in \r\n\r\n. */
  async sendstring(text: string): Promise<Record<string, unknown>> {
    this.#buffer = Buffer.alloc(0);
    this.socket.write(text);
    await eventually(() => {
      if (!this.#buffer.subarray(-4).equals(Buffer.from("\r\n\r\n"))) throw new Error("reply incomplete");
    });
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let text64 = "";
    for (let i = 0; i < this.#buffer.length; i += 64) text64 += decoder.decode(this.#buffer.subarray(i, i + 64));
    return JSON.parse(text64) as Record<string, unknown>;
  }

  async login(user: string, password: string): Promise<void> {
    const reply = await this.sendstring(`auth ${user} ${password} \r\n`);
    this.token = reply.tokenid as string;
  }

  /** The seed's client turns `send james a b` into `send <token> james  a b \r\n`. */
  sendmessage(to: string, words: string): Promise<Record<string, unknown>> {
    const message = words
      .split(" ")
      .map((w) => ` ${w}`)
      .join("");
    return this.sendstring(`send ${this.token} ${to} ${message} \r\n`);
  }

  groupChat(name: string): void {
    this.chunks.length = 0;
    this.socket.write(`group ${this.token} ${name} origin \r\n`);
  }

  /** In group mode: one write per typed line, no terminator. */
  type(line: string): void {
    this.socket.write(line);
  }

  sees(text: string): Promise<void> {
    return eventually(() => {
      if (!this.chunks.join("").includes(text)) throw new Error(`not seen: ${text} in ${JSON.stringify(this.chunks)}`);
    });
  }
}
