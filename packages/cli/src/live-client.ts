import type { Socket } from "node:net";
import {
  decodeLiveServerFrame,
  isErrorCode,
  LineDecoder,
  type FrameError,
  type LineSink,
  type LiveEvent,
  type LiveGroupInfo,
  type LiveMessage,
  type LiveOp,
  type LiveRequestFields,
  type LiveResult,
  type LiveResults,
} from "@realmchat/protocol";
import { ConnectionClosedError, ServerErrorReply } from "./errors.ts";
import type { ServerAddress } from "./server-address.ts";
import { openServerConnection } from "./server-connection.ts";

export type LiveEventHandler = (event: LiveEvent) => void;

interface Pending {
  readonly op: LiveOp;
  /** The reply's fields; their type is the one of `op` (see `request`). */
  resolve(body: Readonly<Record<string, unknown>>): void;
  reject(error: Error): void;
}

export type JoinResult = LiveResults["join"];

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
    return openServerConnection(address).then((socket) => new LiveClient(address, socket, onEvent));
  }

  get isClosed(): boolean {
    return this.#failure !== undefined;
  }

  onLine(line: string): void {
    const frame = decodeLiveServerFrame(line);
    if (frame.kind === "event") {
      this.#onEvent(frame.event);
      return;
    }
    if (frame.kind === "invalid") return;
    const pending = typeof frame.re === "number" ? this.#pending.get(frame.re) : undefined;
    if (pending === undefined) return;
    this.#pending.delete(frame.re as number);
    if (frame.kind === "ok") pending.resolve(frame.body);
    else pending.reject(new ServerErrorReply(pending.op, isErrorCode(frame.code) ? frame.code : undefined, frame.message));
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
  request<K extends LiveOp>(op: K, fields: LiveRequestFields<K>): Promise<LiveResult<K>> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      // The server answers `op` with LiveResults[op] (docs/protocol.md); `re` matched it to this request.
      this.#pending.set(id, { op, resolve: (body) => resolve(body as LiveResult<K>), reject });
      this.#socket.write(JSON.stringify({ id, op, ...fields }) + "\n");
    });
  }

  async auth(user: string, password: string): Promise<string> {
    return (await this.request("auth", { user, password })).token;
  }

  async resume(token: string): Promise<string> {
    return (await this.request("resume", { token })).user;
  }

  async hello(): Promise<LiveResult<"hello">> {
    return this.request("hello", { v: 2 });
  }

  async send(to: string, text: string): Promise<LiveResult<"send">> {
    return this.request("send", { to, text });
  }

  async inbox(limit?: number): Promise<readonly LiveMessage[]> {
    return (await this.request("inbox", { limit })).messages;
  }

  async ack(upTo: string): Promise<number> {
    return (await this.request("ack", { upTo })).removed;
  }

  async join(group: string): Promise<JoinResult> {
    return this.request("join", { group });
  }

  async leave(group: string): Promise<void> {
    await this.request("leave", { group });
  }

  async say(group: string, text: string): Promise<void> {
    await this.request("say", { group, text });
  }

  async groups(): Promise<readonly LiveGroupInfo[]> {
    return (await this.request("groups", {})).groups;
  }

  async who(group: string): Promise<LiveResult<"who">> {
    return this.request("who", { group });
  }

  async logout(): Promise<void> {
    await this.request("logout", {});
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
