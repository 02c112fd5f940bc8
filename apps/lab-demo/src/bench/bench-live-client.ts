import { connect, type Socket } from "node:net";

export type Frame = Record<string, unknown>;

/** A benchmark client's link to a realm: TCP (BenchLiveClient) or WebSocket (BenchWsClient). */
export interface BenchLink {
  onEvent: (event: Frame) => void;
  onRefused: (reply: string) => void;
  request(op: string, fields?: Frame): Promise<Frame>;
  post(op: "send" | "say", target: string, text: string): void;
  postAck(msgId: string): void;
  close(): void;
}

const REPLY_HEAD = '{"re":';
const OK_TRUE = '"ok":true';

/** A request waiting for its reply. */
export type Waiter = { resolve(frame: Frame): void; reject(error: Error): void };

/**
 * One frame from the realm, TCP line or WebSocket message alike: a reply to a waiting request, the
 * reply to a posted one (looked at only as far as `"ok"`, and told to `onRefused` if it is a
 * refusal), or an event for `onEvent`.
 */
export function takeFrame(line: string, pending: Map<number, Waiter>, link: Pick<BenchLink, "onEvent" | "onRefused">): void {
  if (line.startsWith(REPLY_HEAD)) {
    const comma = line.indexOf(",", REPLY_HEAD.length);
    if (!pending.has(Number(line.slice(REPLY_HEAD.length, comma)))) {
      if (!line.startsWith(OK_TRUE, comma + 1)) link.onRefused(line);
      return;
    }
  }
  const frame = JSON.parse(line) as Frame;
  if ("ev" in frame) {
    link.onEvent(frame);
    return;
  }
  const waiter = pending.get(frame.re as number);
  pending.delete(frame.re as number);
  if (frame.ok === true) waiter?.resolve(frame);
  else waiter?.reject(new Error(`request failed: ${JSON.stringify(frame)}`));
}

/** The connection closed: every waiting request fails. */
export function failWaiting(pending: Map<number, Waiter>): void {
  for (const p of pending.values()) p.reject(new Error("connection closed"));
  pending.clear();
}

/**
 * A live-protocol client for the benchmark, straight on a socket: requests are written at once
 * (several in flight), replies matched by id, pushed events handed to `onEvent` as they come.
 * Sends and says are posted without a promise each, and their replies are looked at only as far
 * as `"ok"`: the load generator shares the machine's cores with the servers, so it spends as
 * little as it can per message (events are parsed in full, as a real client must).
 */
export class BenchLiveClient implements BenchLink {
  readonly #socket: Socket;
  readonly #pending = new Map<number, Waiter>();
  #buffer = "";
  #next = 1;
  #out = "";
  onEvent: (event: Frame) => void = () => undefined;
  /** A posted request (see `post`) was refused. */
  onRefused: (reply: string) => void = () => undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => this.#receive(text));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      failWaiting(this.#pending);
    });
  }

  static connect(port: number): Promise<BenchLiveClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => resolve(new BenchLiveClient(socket)));
      socket.once("error", reject);
    });
  }

  #receive(text: string): void {
    this.#buffer += text;
    let start = 0;
    for (let nl = this.#buffer.indexOf("\n"); nl !== -1; nl = this.#buffer.indexOf("\n", start)) {
      takeFrame(this.#buffer.slice(start, nl), this.#pending, this);
      start = nl + 1;
    }
    this.#buffer = this.#buffer.slice(start);
  }

  request(op: string, fields: Frame = {}): Promise<Frame> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // The requests of one turn leave in one write.
      if (this.#out === "") queueMicrotask(() => this.#flush());
      this.#out += `${JSON.stringify({ id, op, ...fields })}\n`;
    });
  }

  /** Sends a request whose reply only matters if it is a refusal (`onRefused`). */
  post(op: "send" | "say", target: string, text: string): void {
    const id = this.#next++;
    if (this.#out === "") queueMicrotask(this.#flushNow);
    this.#out += `{"id":${id},"op":"${op}","${op === "send" ? "to" : "group"}":${JSON.stringify(target)},"text":${JSON.stringify(text)}}\n`;
  }

  /** Acknowledges the inbox up to `msgId` (the reply only matters if it is a refusal). */
  postAck(msgId: string): void {
    const id = this.#next++;
    if (this.#out === "") queueMicrotask(this.#flushNow);
    this.#out += `{"id":${id},"op":"ack","upTo":${JSON.stringify(msgId)}}\n`;
  }

  readonly #flushNow = (): void => this.#flush();

  #flush(): void {
    const out = this.#out;
    this.#out = "";
    this.#socket.write(out);
  }

  close(): void {
    this.#socket.destroy();
  }
}
