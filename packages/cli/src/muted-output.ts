import { Writable } from "node:stream";

interface TerminalStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/**
 * The terminal as readline sees it, with a switch to stop its echo: while muted, whatever
 * readline writes (the characters of a password being typed) never reaches the screen.
 */
export class MutableOutput extends Writable {
  muted = false;
  readonly #target: TerminalStream;

  constructor(target: TerminalStream) {
    super();
    this.#target = target;
    target.on("resize", () => this.emit("resize"));
  }

  get isTTY(): boolean {
    return this.#target.isTTY === true;
  }

  get columns(): number | undefined {
    return this.#target.columns;
  }

  get rows(): number | undefined {
    return this.#target.rows;
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.muted) {
      done();
      return;
    }
    if (typeof chunk === "string") this.#target.write(chunk, encoding, () => done());
    else this.#target.write(chunk, () => done());
  }
}
