import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";

// Colour codes the screen shows are not kept in the log files.
const SGR = /\u001b\[[0-9;]*m/g;

/** `--log-dir`: each window's lines, plain text, appended to `<dir>/<window>.log`. */
export class WindowLog {
  readonly #dir: string;
  readonly #files = new Map<string, WriteStream>();

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  fileOf(key: string): string {
    return join(this.#dir, `${key.replace(/[^A-Za-z0-9@#._-]/g, "_")}.log`);
  }

  write(key: string, line: string): void {
    let file = this.#files.get(key);
    if (file === undefined) {
      file = createWriteStream(this.fileOf(key), { flags: "a" });
      this.#files.set(key, file);
    }
    file.write(line.replace(SGR, "") + "\n");
  }

  async close(): Promise<void> {
    await Promise.all([...this.#files.values()].map((f) => new Promise<void>((resolve) => f.end(resolve))));
  }
}
