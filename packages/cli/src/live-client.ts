import { connect, type Socket } from "node:net";
import { LineDecoder, type FrameError, type LineSink, type LiveEvent, type LiveMessage } from "@realmchat/protocol";
import { ConnectionClosedError, ServerErrorReply } from "./errors.ts";
import type { ServerAddress } from "./server-address.ts";

export type LiveEventHandler = (event: LiveEvent) => void;

interface Pending {
  readonly op: string;
  resolve(body: Record<string, unknown>): void;
  reject(error: Error): void;
}

export interface JoinResult {
  readonly group: string;
  readonly home: string;
  readonly history: ReadonlyArray<{ readonly kind: string; readonly member: string; readonly text?: string; readonly ts: number }>;
  readonly members: readonly string[];
}

/**
 * A client of the live protocol (docs/protocol.md, "Live protocol"): requests matched to replies
 * by id, events handed to `onEvent` as they come, `closed` resolving when the connection ends.
 */
export class LiveClient implements LineSink, AsyncDisposable {
  readonly address: ServerAddress;
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #decoder = new LineDecoder({ maxFrameBytes: 16 * 1024 * 1024 });
  readonly #pending = new Map<number, Pending>();
  readonly #onEvent: LiveEventHandler;
  #next = 1;
  #failure: Error | undefined;

  private constructor(address: ServerAddress, socket: Socket, onEvent: LiveEventHandler) {
    this.address = address;
    this.#socket = socket;
    this.#onEvent = onEvent;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.#decoder.push(chunk, this));
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        this.#fail(new ConnectionClosedError());
        resolve();
      });
    });
    socket.on("error", (err) => this.#fail(new ConnectionClosedError(`connection error: ${err.message}`, { cause: err })));
  }

  static connect(address: ServerAddress, onEvent: LiveEventHandler = () => undefined): Promise<LiveClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(address.port, address.host);
      socket.once("error", (err) => reject(new ConnectionClosedError(`cannot connect to ${address.host}:${address.port}: ${err.message}`, { cause: err })));
      socket.once("connect", () => {
        socket.removeAllListeners("error");
        resolve(new LiveClient(address, socket, onEvent));
      });
    });
  }

  get isClosed(): boolean {
    return this.#failure !== undefined;
  }

  onLine(line: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof frame.ev === "string") {
      this.#onEvent(frame as unknown as LiveEvent);
      return;
    }
    const pending = typeof frame.re === "number" ? this.#pending.get(frame.re) : undefined;
    if (pending === undefined) return;
    this.#pending.delete(frame.re as number);
    if (frame.ok === true) pending.resolve(frame);
    else pending.reject(new ServerErrorReply(pending.op, frame.code as never, String(frame.message ?? "error")));
  }

  onFrameError(error: FrameError): void {
    this.#fail(error);
    this.#socket.destroy();
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  /** Sends a request; resolves with the reply's fields, rejects with ServerErrorReply. */
  request(op: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { op, resolve, reject });
      this.#socket.write(JSON.stringify({ id, op, ...fields }) + "\n");
    });
  }

  async auth(user: string, password: string): Promise<string> {
    return String((await this.request("auth", { user, password })).token);
  }

  async resume(token: string): Promise<string> {
    return String((await this.request("resume", { token })).user);
  }

  async send(to: string, text: string): Promise<{ readonly msgId: string; readonly queued: boolean }> {
    const reply = await this.request("send", { to, text });
    return { msgId: String(reply.msgId), queued: reply.queued === true };
  }

  async inbox(limit?: number): Promise<LiveMessage[]> {
    return (await this.request("inbox", limit === undefined ? {} : { limit })).messages as LiveMessage[];
  }

  async ack(upTo: string): Promise<number> {
    return Number((await this.request("ack", { upTo })).removed);
  }

  async join(group: string): Promise<JoinResult> {
    return (await this.request("join", { group })) as unknown as JoinResult;
  }

  async leave(group: string): Promise<void> {
    await this.request("leave", { group });
  }

  async say(group: string, text: string): Promise<void> {
    await this.request("say", { group, text });
  }

  async groups(): Promise<Array<{ name: string; home: string; joined: boolean }>> {
    return (await this.request("groups")).groups as Array<{ name: string; home: string; joined: boolean }>;
  }

  async who(group: string): Promise<{ members: string[]; online: string[] }> {
    const reply = await this.request("who", { group });
    return { members: reply.members as string[], online: reply.online as string[] };
  }

  async logout(): Promise<void> {
    await this.request("logout");
  }

  close(): Promise<void> {
    if (this.#socket.destroyed) return Promise.resolve();
    this.#socket.end();
    setTimeout(() => this.#socket.destroy(), 300).unref();
    return this.closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
