import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, startFederation, type FederationFixture } from "./federation-fixtures.ts";

/**
 * Writes the exact bytes the seed's `chat-cli` writes and reads as it reads: replies end at
 * `\r\n\r\n` and must survive being decoded 64 bytes at a time; in group mode each read is
 * printed on its own and a read of exactly `exit` ends the group reader.
 */
class SeedStyleClient {
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
    const message = words.split(" ").map((w) => ` ${w}`).join("");
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

let fed: FederationFixture | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
});

describe("the seed's client byte patterns across realms", () => {
  it("private chat, inbox and group chat across realms work as the seed's client does them", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const messi = await SeedStyleClient.connect(t.realm("realm1").port);
    const james = await SeedStyleClient.connect(t.realm("realm2").port);
    await messi.login("messi", "surabaya");
    await james.login("james", "medan");

    await eventually(async () => expect(await messi.sendmessage("james", "Halo, apa kabar, James? é 👋")).toMatchObject({ status: "OK" }));
    const inbox = await james.sendstring(`inbox ${james.token} \r\n`);
    expect(inbox).toMatchObject({ status: "OK", messages: { "messi@realm1": [{ msg_from: "Lionel Messi", msg_to: "James Maranata", msg: "Halo, apa kabar, James? é 👋" }] } });

    messi.groupChat("batak");
    await messi.sees("messi joined\n");
    // Wait until realm2's directory lists realm1's new group, so that the bare name resolves there.
    const probe = await t.connect("realm2", "taeno", "tokyo");
    await eventually(() => probe.joinGroup("batak@realm1", () => undefined));
    await probe.leaveGroup();

    james.groupChat("batak");
    await james.sees("james joined\n");
    await messi.sees("james@realm2 joined\n");
    james.type("halo gaes");
    await messi.sees("james@realm2: halo gaes\n");
    await james.sees("james: halo gaes\n");
    messi.type("halo james, selamat datang!!!");
    await james.sees("messi@realm1: halo james, selamat datang!!!\n");

    james.chunks.length = 0;
    james.type("exit");
    await eventually(() => expect(james.chunks.length).toBeGreaterThanOrEqual(2));
    expect(james.chunks[0]).toBe("exit");
    expect(JSON.parse((james.chunks[1] as string).trimEnd())).toMatchObject({ status: "OK", message: "Left group batak" });
    await messi.sees("james@realm2 left\n");
    messi.socket.destroy();
    james.socket.destroy();
  }, 60_000);
});
