import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Session tokens kept between runs (`rememberToken` in a profile), in `<config dir>/tokens.json`,
 * readable by its owner only: a token opens the session without the password until it expires.
 */
export class TokenCache {
  readonly #path: string;
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.#path = join(dir, "tokens.json");
  }

  static keyOf(user: string, server: string): string {
    return `${user}@${server}`;
  }

  async #all(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.#path, "utf8")) as unknown;
      return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  async get(key: string): Promise<string | undefined> {
    const value = (await this.#all())[key];
    return typeof value === "string" ? value : undefined;
  }

  async set(key: string, token: string | undefined): Promise<void> {
    const all = await this.#all();
    if (token === undefined) delete all[key];
    else all[key] = token;
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const temp = `${this.#path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(all, null, 2) + "\n", { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, this.#path);
  }
}

/** The remembered tokens of one realm's users; without a cache (no `rememberToken`), nothing is kept. */
export class RememberedTokens {
  readonly #cache: TokenCache | undefined;
  readonly #server: string;

  constructor(cache: TokenCache | undefined, server: string) {
    this.#cache = cache;
    this.#server = server;
  }

  async get(user: string): Promise<string | undefined> {
    return this.#cache?.get(TokenCache.keyOf(user, this.#server));
  }

  async set(user: string, token: string | undefined): Promise<void> {
    await this.#cache?.set(TokenCache.keyOf(user, this.#server), token);
  }
}
