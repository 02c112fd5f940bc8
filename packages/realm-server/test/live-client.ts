import { connect, type Socket } from "node:net";

type Frame = Record<string, unknown>;

/** A raw live-protocol client for tests: JSON lines out, replies matched by id, events collected. */
export class LiveWire {
  readonly socket: Socket;
  readonly events: Frame[] = [];
  readonly #replies = new Map<unknown, Frame>();
  #buffer = "";
  #next = 1;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => {
      this.#buffer += text;
      for (let nl = this.#buffer.indexOf("\n"); nl !== -1; nl = this.#buffer.indexOf("\n")) {
        const frame = JSON.parse(this.#buffer.slice(0, nl)) as Frame;
        this.#buffer = this.#buffer.slice(nl + 1);
        if ("ev" in frame) this.events.push(frame);
        else this.#replies.set(frame.re, frame);
      }
    });
    socket.on("error", () => undefined);
  }

  static connect(port: number): Promise<LiveWire> {
    return new Promise((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => resolve(new LiveWire(s)));
      s.once("error", reject);
    });
  }

  async #wait<T>(find: () => T | undefined, what: string, ms = 5000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async request(op: string, fields: Frame = {}): Promise<Frame> {
    const id = this.#next++;
    this.socket.write(JSON.stringify({ id, op, ...fields }) + "\n");
    return this.#wait(() => this.#replies.get(id), `the reply to ${op}`);
  }

  /** Like request, but fails unless the reply is ok. */
  async ok(op: string, fields: Frame = {}): Promise<Frame> {
    const reply = await this.request(op, fields);
    if (reply.ok !== true) throw new Error(`${op} failed: ${JSON.stringify(reply)}`);
    return reply;
  }

  event(match: (e: Frame) => boolean, what = "an event"): Promise<Frame> {
    return this.#wait(() => this.events.find(match), what);
  }

  writeRaw(text: string): void {
    this.socket.write(text);
  }

  /** The reply to `id` if it has come, without waiting. */
  replied(id: unknown): Frame | undefined {
    return this.#replies.get(id);
  }

  reply(id: unknown): Promise<Frame> {
    return this.#wait(() => this.#replies.get(id), `the reply to ${String(id)}`);
  }

  close(): void {
    this.socket.destroy();
  }
}
