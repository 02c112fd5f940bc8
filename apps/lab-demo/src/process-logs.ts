import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";

/**
 * Where the demo's child processes write their logs: one file per process in `dir`, and with
 * `verbose` also the terminal, each line prefixed by the process's name.
 */
export class ProcessLogs {
  readonly dir: string;
  readonly #verbose: boolean;
  readonly #files = new Map<string, WriteStream>();
  readonly #echo: (line: string) => void;

  constructor(dir: string, verbose: boolean, echo: (line: string) => void) {
    this.dir = dir;
    this.#verbose = verbose;
    this.#echo = echo;
    mkdirSync(dir, { recursive: true });
  }

  /** The file a process's output goes to (`bridge realm1` → `bridge-realm1.log`). */
  fileOf(name: string): string {
    return join(this.dir, `${name.replace(/\s+/g, "-")}.log`);
  }

  readonly write = (name: string, text: string): void => {
    let file = this.#files.get(name);
    if (file === undefined) {
      file = createWriteStream(this.fileOf(name), { flags: "a" });
      this.#files.set(name, file);
    }
    file.write(text);
    if (this.#verbose) for (const line of text.split("\n")) if (line !== "") this.#echo(`[${name}] ${line}`);
  };

  async close(): Promise<void> {
    await Promise.all([...this.#files.values()].map((f) => new Promise<void>((resolve) => f.end(resolve))));
    this.#files.clear();
  }
}
