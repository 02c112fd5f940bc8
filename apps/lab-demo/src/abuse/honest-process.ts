import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { ServerAddress } from "@realmchat/cli";
import type { HonestFigures } from "./honest-traffic.ts";

/**
 * The honest users in a process of their own, so that what the attacker's process does (open
 * thousands of sockets, write junk) does not delay the honest clients' own clocks and reads: the
 * two share the machine, as a real attacker and real users share a server, and nothing else.
 * Commands on its stdin (`open`, `close`, `stop`), one JSON line of figures back per `close`.
 */
export class HonestProcess {
  readonly #child: ChildProcess;
  readonly #lines: AsyncIterator<string>;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  }

  static async start(realm1: ServerAddress, realm2: ServerAddress, password: string): Promise<HonestProcess> {
    const script = fileURLToPath(new URL("./honest-main.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=@realmchat/source", script, String(realm1.port), String(realm2.port), password], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const honest = new HonestProcess(child);
    await honest.#next("ready");
    return honest;
  }

  async #next(expected?: string): Promise<string> {
    const { value, done } = await this.#lines.next();
    if (done === true) throw new Error("the honest users' process ended");
    if (expected !== undefined && value !== expected) throw new Error(`honest users' process said ${value}, expected ${expected}`);
    return value;
  }

  async openWindow(): Promise<void> {
    this.#child.stdin?.write("open\n");
    await this.#next("opened");
  }

  async closeWindow(): Promise<HonestFigures> {
    this.#child.stdin?.write("close\n");
    return JSON.parse(await this.#next()) as HonestFigures;
  }

  async stop(): Promise<void> {
    this.#child.stdin?.write("stop\n");
    await new Promise((resolve) => this.#child.once("exit", resolve));
  }
}
