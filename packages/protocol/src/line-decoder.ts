import { FrameTooLargeError, InvalidUtf8Error, type FrameError } from "./errors.ts";

/** Receives what a {@link LineDecoder} finds; an object, not callbacks, so no closure per frame. */
export interface LineSink {
  onLine(line: string): void;
  onFrameError(error: FrameError): void;
}

export interface LineDecoderOptions {
  /** Largest frame accepted, terminator excluded. */
  readonly maxFrameBytes?: number;
}

export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Push-based splitter for `\n`-terminated frames (a `\r` before the `\n` is dropped). Bytes are
 * buffered only while a frame is incomplete, and never more than `maxFrameBytes`: past that the
 * sink gets one {@link FrameTooLargeError} and the rest of that frame is discarded up to its
 * terminator. A frame that is not UTF-8 yields {@link InvalidUtf8Error}; decoding goes on with
 * the next frame.
 */
export class LineDecoder {
  readonly maxFrameBytes: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #discarding = false;
  #framesEnded = 0;

  constructor(options: LineDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes held for an incomplete frame. */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  /**
   * Frames ended so far (handed over, refused or discarded up to their terminator): a reader
   * that sees this move knows the peer is finishing lines, however much it holds at any moment.
   */
  get framesEnded(): number {
    return this.#framesEnded;
  }

  push(chunk: Uint8Array, sink: LineSink): void {
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      if (lf === -1) {
        this.#hold(chunk.subarray(start), sink);
        return;
      }
      this.#framesEnded++;
      if (this.#discarding) {
        this.#discarding = false;
      } else if (this.#pendingBytes === 0) {
        this.#emit(chunk.subarray(start, lf), sink);
      } else {
        this.#pending.push(chunk.subarray(start, lf));
        const frame = concat(this.#pending, this.#pendingBytes + lf - start);
        this.#pending = [];
        this.#pendingBytes = 0;
        this.#emit(frame, sink);
      }
      start = lf + 1;
    }
  }

  /**
   * Hands over the held incomplete frame as if it had been terminated. The classic group mode
   * needs this: the seed's client sends each chat line with no terminator at all.
   */
  flushPartial(sink: LineSink): void {
    if (this.#discarding) {
      this.#discarding = false;
      return;
    }
    if (this.#pendingBytes === 0) return;
    this.#framesEnded++;
    const frame = concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#emit(frame, sink);
  }

  #hold(rest: Uint8Array, sink: LineSink): void {
    if (this.#discarding || rest.length === 0) return;
    if (this.#pendingBytes + rest.length > this.maxFrameBytes) {
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#discarding = true;
      sink.onFrameError(new FrameTooLargeError(this.maxFrameBytes));
      return;
    }
    // Copy: the caller may reuse its buffer after push returns.
    this.#pending.push(Uint8Array.prototype.slice.call(rest));
    this.#pendingBytes += rest.length;
  }

  #emit(frame: Uint8Array, sink: LineSink): void {
    let end = frame.length;
    if (end > 0 && frame[end - 1] === CR) end--;
    if (end > this.maxFrameBytes) {
      sink.onFrameError(new FrameTooLargeError(this.maxFrameBytes));
      return;
    }
    let text: string;
    try {
      text = utf8.decode(frame.subarray(0, end));
    } catch (cause) {
      sink.onFrameError(new InvalidUtf8Error(end, { cause }));
      return;
    }
    sink.onLine(text);
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
