import { createHash, randomBytes } from "node:crypto";
import { isAscii } from "node:buffer";
import { connect, type Socket } from "node:net";
import { failWaiting, takeFrame, type BenchLink, type Frame, type Waiter } from "./bench-live-client.ts";

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/**
 * The benchmark's live-protocol client over the realm's WebSocket (`/live`), as a browser speaks
 * it (RFC 6455 on a plain socket: the opening handshake with the page's Origin, one JSON frame per
 * text frame, every frame it sends masked). It is the TCP client's twin in what it spends: the
 * load generator shares the machine's cores with the servers, so frames are read straight off the
 * socket's bytes, the mask is all zeros (masking by zeros changes nothing; the realm unmasks every
 * frame as it must), and the frames of one turn leave in one write.
 */
export class BenchWsClient implements BenchLink {
  readonly #socket: Socket;
  readonly #pending = new Map<number, Waiter>();
  #buffer: Buffer = Buffer.alloc(0);
  #next = 1;
  #out: string[] = [];
  onEvent: (event: Frame) => void = () => undefined;
  onRefused: (reply: string) => void = () => undefined;

  private constructor(socket: Socket, rest: Buffer) {
    this.#socket = socket;
    socket.on("data", (data: Buffer) => this.#receive(data));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      failWaiting(this.#pending);
    });
    if (rest.length > 0) this.#receive(rest);
  }

  /** Opens `ws://127.0.0.1:<port>/live` as a page of that realm would. */
  static connect(port: number): Promise<BenchWsClient> {
    return new Promise((resolve, reject) => {
      const key = randomBytes(16).toString("base64");
      const accept = createHash("sha1")
        .update(key + WS_GUID)
        .digest("base64");
      const socket = connect(port, "127.0.0.1", () => {
        socket.setNoDelay(true);
        socket.write(
          `GET /live HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
            `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      let head = Buffer.alloc(0);
      const onData = (data: Buffer): void => {
        head = Buffer.concat([head, data]);
        const end = head.indexOf("\r\n\r\n");
        if (end === -1) return;
        socket.off("data", onData);
        const response = head.subarray(0, end).toString("latin1");
        if (!response.startsWith("HTTP/1.1 101") || !response.includes(`Sec-WebSocket-Accept: ${accept}`)) {
          socket.destroy();
          reject(new Error(`the WebSocket handshake was refused: ${response.split("\r\n")[0]}`));
          return;
        }
        resolve(new BenchWsClient(socket, head.subarray(end + 4)));
      };
      socket.on("data", onData);
      socket.once("error", reject);
    });
  }

  /** Reads whole frames off the bytes received (a server's frames are not masked; RFC 6455, 5.2). */
  #receive(data: Buffer): void {
    const buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
    let at = 0;
    for (;;) {
      if (buffer.length - at < 2) break;
      const opcode = (buffer[at] as number) & 0x0f;
      let length = (buffer[at + 1] as number) & 0x7f;
      let start = at + 2;
      if (length === 126) {
        if (buffer.length - at < 4) break;
        length = buffer.readUInt16BE(at + 2);
        start = at + 4;
      } else if (length === 127) {
        if (buffer.length - at < 10) break;
        length = buffer.readUInt32BE(at + 6);
        start = at + 10;
      }
      if (buffer.length < start + length) break;
      // ASCII (all the benchmark sends) needs no UTF-8 decoding.
      const end = start + length;
      if (opcode === 0x1)
        takeFrame(buffer.toString(isAscii(buffer.subarray(start, end)) ? "latin1" : "utf8", start, end), this.#pending, this);
      else if (opcode === 0x9) this.#send(0xa, buffer.subarray(start, end));
      at = end;
    }
    this.#buffer = at === buffer.length ? Buffer.alloc(0) : buffer.subarray(at);
  }

  /** A masked frame of `opcode` (the mask all zeros, so the payload goes as it is). */
  #send(opcode: number, payload: Buffer): void {
    this.#socket.write(Buffer.concat([frameHeader(opcode, payload.length), payload]));
  }

  #queue(frame: string): void {
    if (this.#out.length === 0) queueMicrotask(this.#flush);
    this.#out.push(frame);
  }

  /** The turn's frames in one buffer, each text encoded straight into it. */
  readonly #flush = (): void => {
    const out = this.#out;
    this.#out = [];
    const lengths = out.map((text) => Buffer.byteLength(text));
    const size = lengths.reduce((sum, n) => sum + headerLength(n) + n, 0);
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for (const [i, text] of out.entries()) {
      const n = lengths[i] as number;
      at = writeClientHeader(bytes, at, 0x1, n);
      at += bytes.write(text, at);
    }
    this.#socket.write(bytes);
  };

  request(op: string, fields: Frame = {}): Promise<Frame> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#queue(JSON.stringify({ id, op, ...fields }));
    });
  }

  post(op: "send" | "say", target: string, text: string): void {
    const id = this.#next++;
    this.#queue(`{"id":${id},"op":"${op}","${op === "send" ? "to" : "group"}":${JSON.stringify(target)},"text":${JSON.stringify(text)}}`);
  }

  postAck(msgId: string): void {
    const id = this.#next++;
    this.#queue(`{"id":${id},"op":"ack","upTo":${JSON.stringify(msgId)}}`);
  }

  close(): void {
    this.#socket.destroy();
  }
}

/** Bytes of a client frame's header: 2 to 10 for the length, and 4 for the mask. */
const headerLength = (length: number): number => (length < 126 ? 6 : length < 0x10000 ? 8 : 14);

/** Writes a client frame's header at `at` (FIN, `opcode`, the mask bit and length, a mask of zeros); returns where the payload goes. */
function writeClientHeader(out: Buffer, at: number, opcode: number, length: number): number {
  out[at] = 0x80 | opcode;
  let next: number;
  if (length < 126) {
    out[at + 1] = 0x80 | length;
    next = at + 2;
  } else if (length < 0x10000) {
    out[at + 1] = 0x80 | 126;
    out.writeUInt16BE(length, at + 2);
    next = at + 4;
  } else {
    out[at + 1] = 0x80 | 127;
    out.writeUInt32BE(0, at + 2);
    out.writeUInt32BE(length, at + 6);
    next = at + 10;
  }
  out.writeUInt32BE(0, next);
  return next + 4;
}

/** A client frame's header alone. */
function frameHeader(opcode: number, length: number): Buffer {
  const header = Buffer.allocUnsafe(headerLength(length));
  writeClientHeader(header, 0, opcode, length);
  return header;
}
