import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { WebSocket, type RawData } from "ws";
import type { ClientStream } from "../connections/client-transport.ts";

const NEWLINE = Buffer.from("\n");
const LF = 0x0a;
/** FIN and opcode 1: a whole text frame (RFC 6455, 5.2). */
const TEXT_FRAME = 0x81;

/** Bytes of a server frame's header for a payload of `length` bytes (no mask: RFC 6455, 5.1). */
const headerLength = (length: number): number => (length < 126 ? 2 : length < 0x10000 ? 4 : 10);

/** Writes a text frame's header at `at`; returns where its payload goes. */
function writeHeader(out: Buffer, at: number, length: number): number {
  out[at] = TEXT_FRAME;
  if (length < 126) {
    out[at + 1] = length;
    return at + 2;
  }
  if (length < 0x10000) {
    out[at + 1] = 126;
    out.writeUInt16BE(length, at + 2);
    return at + 4;
  }
  out[at + 1] = 127;
  out.writeUInt32BE(0, at + 2);
  out.writeUInt32BE(length, at + 6);
  return at + 10;
}

/** Each `\n`-ended line of `bytes` (and what follows the last) as a text frame, all in one buffer. */
function textFrames(bytes: Buffer): Buffer {
  let size = 0;
  let start = 0;
  for (let end = bytes.indexOf(LF); end !== -1; end = bytes.indexOf(LF, start)) {
    size += headerLength(end - start) + end - start;
    start = end + 1;
  }
  if (start < bytes.length) size += headerLength(bytes.length - start) + bytes.length - start;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  start = 0;
  for (let end = bytes.indexOf(LF); end !== -1; end = bytes.indexOf(LF, start)) {
    at = writeHeader(out, at, end - start);
    at += bytes.copy(out, at, start, end);
    start = end + 1;
  }
  if (start < bytes.length) {
    at = writeHeader(out, at, bytes.length - start);
    bytes.copy(out, at, start);
  }
  return out;
}

function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * The live protocol over WebSocket (docs/protocol.md, "WebSocket"): one text frame is one JSON
 * frame. A client connection's stream (ClientStream), so that the realm serves it exactly as a TCP
 * connection: a frame comes in as a line, and each line written goes out as a frame of its own.
 *
 * `ws` reads the socket and parses the client's frames (masks, fragments, control frames, limits);
 * what the realm writes in one turn goes straight to the socket `ws` took over, as one buffer of
 * frames: one system call a turn, as on TCP, and the socket's own buffer and 'drain' are the
 * connection's back-pressure. Nothing else writes to the socket meanwhile, as `ws` writes a frame
 * of its own (a pong, the close) whole and at once. While the realm does not read (it has enough
 * requests waiting), `ws` stops reading the socket, so a client that sends faster than it is served
 * meets TCP's back-pressure.
 */
export class WebSocketLineStream extends EventEmitter implements ClientStream {
  readonly #ws: WebSocket;
  readonly #socket: Socket;

  constructor(ws: WebSocket, socket: Socket) {
    super();
    this.#ws = ws;
    this.#socket = socket;
    ws.on("message", (data, isBinary) => this.#onMessage(data, isBinary));
    ws.once("close", () => this.emit("close"));
    ws.on("error", (err) => this.emit("error", err));
    socket.on("drain", () => this.emit("drain"));
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    // 1003: the endpoint does not take this kind of data (RFC 6455, 7.4.1).
    if (isBinary) {
      this.#ws.close(1003, "text frames only");
      return;
    }
    this.emit("data", Buffer.concat([bytesOf(data), NEWLINE]));
  }

  get writableHighWaterMark(): number {
    return this.#socket.writableHighWaterMark;
  }

  get writableLength(): number {
    return this.#socket.writableLength;
  }

  get writableNeedDrain(): boolean {
    return this.#socket.writableNeedDrain;
  }

  write(text: string, done?: (error?: Error | null) => void): boolean {
    if (this.#ws.readyState !== WebSocket.OPEN) {
      if (done !== undefined) process.nextTick(done, new Error("the WebSocket is closed"));
      return false;
    }
    return this.#socket.write(textFrames(Buffer.from(text)), done);
  }

  end(text?: string): void {
    if (text !== undefined && text !== "") this.write(text);
    this.#ws.close(1000);
  }

  pause(): void {
    this.#ws.pause();
  }

  resume(): void {
    this.#ws.resume();
  }

  destroy(): void {
    this.#ws.terminate();
  }
}
