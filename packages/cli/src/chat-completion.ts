import type { CompleterResult } from "node:readline";

/**
 * What Tab completes in the interactive client: commands after `/`, else the names it has seen —
 * users (`user` on this realm, `user@realm` elsewhere) and groups.
 */
export class ChatCompletion {
  readonly #commands: readonly string[];
  readonly #names = new Set<string>();

  constructor(commands: readonly string[]) {
    this.#commands = commands.map((c) => `/${c}`);
  }

  /** A user or group name seen in an event, a reply or a command. */
  saw(name: string): void {
    if (name !== "") this.#names.add(name);
  }

  complete(line: string): CompleterResult {
    const word = line.slice(line.lastIndexOf(" ") + 1);
    const firstWord = !line.includes(" ");
    const pool = firstWord && word.startsWith("/") ? this.#commands : [...this.#names].sort();
    const bare = word.startsWith("#") ? word.slice(1) : word;
    const hits = pool.filter((c) => c.startsWith(bare)).map((c) => (word.startsWith("#") ? `#${c}` : c));
    return [hits, word];
  }
}
