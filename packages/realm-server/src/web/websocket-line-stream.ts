import { Duplex } from "node:stream";
import { WebSocket, type RawData } from "ws";

const NEWLINE = Buffer.from("\n");
const LF = 0x0a;

function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * The live protocol over WebSocket (docs/protocol.md, "WebSocket"): one text frame is one JSON
 * frame. Seen as a byte stream, so that the realm serves it exactly as a TCP connection: a frame
 * comes in as a line, and each line written goes out as a frame of its own. The socket is read
 * only while the realm takes what arrives (a client that sends faster than it is served meets
 * TCP's back-pressure), and a write completes only once its frames are handed to the kernel, so
 * the connection's output limits count what the client has not read yet.
 */
export class WebSocketLineStream extends Duplex {
  readonly #ws: WebSocket;

  constructor(ws: WebSocket) {
    super({ allowHalfOpen: false });
    this.#ws = ws;
    ws.on("message", (data, isBinary) => this.#onMessage(data, isBinary));
    ws.once("close", () => {
      this.push(null);
      this.destroy();
    });
    ws.on("error", (err) => this.destroy(err));
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    // 1003: the endpoint does not take this kind of data (RFC 6455, 7.4.1).
    if (isBinary) {
      this.#ws.close(1003, "text frames only");
      return;
    }
    if (!this.push(Buffer.concat([bytesOf(data), NEWLINE]))) this.#ws.pause();
  }

  override _read(): void {
    if (this.#ws.isPaused) this.#ws.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#ws.readyState !== WebSocket.OPEN) {
      callback(new Error("the WebSocket is closed"));
      return;
    }
    // One frame per line; the write is done when the last of them has left.
    let start = 0;
    let end = chunk.indexOf(LF, start);
    let last: Buffer | undefined;
    while (end !== -1) {
      if (last !== undefined) this.#ws.send(last, { binary: false });
      last = chunk.subarray(start, end);
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      if (last !== undefined) this.#ws.send(last, { binary: false });
      last = chunk.subarray(start);
    }
    if (last === undefined) callback();
    else this.#ws.send(last, { binary: false }, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#ws.close(1000);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#ws.readyState !== WebSocket.CLOSED) this.#ws.terminate();
    callback(error);
  }
}
