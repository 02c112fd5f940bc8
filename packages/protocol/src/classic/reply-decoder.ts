import { FrameTooLargeError } from "../errors.ts";
import { DEFAULT_MAX_FRAME_BYTES } from "../line-decoder.ts";

export interface ReplySink {
  /** A complete reply body, terminator removed. */
  onReply(body: string): void;
  onFrameError(error: FrameTooLargeError): void;
}

/**
 * Client-side push splitter for classic replies, which end in `\r\n\r\n` (the seed's own
 * client treats a reply as complete exactly then). Replies are ASCII, so text is safe to
 * accumulate chunk by chunk.
 */
export class ReplyDecoder {
  readonly maxFrameBytes: number;
  #buffer = "";

  constructor(options: { readonly maxFrameBytes?: number } = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? 16 * DEFAULT_MAX_FRAME_BYTES;
  }

  push(text: string, sink: ReplySink): void {
    this.#buffer += text;
    let start = 0;
    for (;;) {
      const end = this.#buffer.indexOf("\r\n\r\n", start);
      if (end === -1) break;
      sink.onReply(this.#buffer.slice(start, end));
      start = end + 4;
    }
    this.#buffer = start === 0 ? this.#buffer : this.#buffer.slice(start);
    if (this.#buffer.length > this.maxFrameBytes) {
      this.#buffer = "";
      sink.onFrameError(new FrameTooLargeError(this.maxFrameBytes));
    }
  }

  /** Text held for an incomplete reply (group-mode lines arrive through here too). */
  takeBuffered(): string {
    const text = this.#buffer;
    this.#buffer = "";
    return text;
  }
}
