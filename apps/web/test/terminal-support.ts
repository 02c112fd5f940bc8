import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The terminal client's command, run from source as the CLI's own tests run it. */
const CLI = fileURLToPath(new URL("../../../packages/cli/src/bin/realmchat.ts", import.meta.url));

export interface TerminalChat {
  /** Types lines into the client. */
  type(...lines: string[]): void;
  /** Waits until the client has printed `text`. */
  shows(text: string): Promise<void>;
  /** Asks `/windows` until its answer passes `check`; returns it. */
  windowsUntil(check: (list: string) => boolean): Promise<string>;
  quit(): Promise<void>;
}

/** The terminal client (`realmchat`) logged in as `user`, its input and output piped (no terminal). */
export function chatInTerminal(port: number, user: string, password: string): TerminalChat {
  const child = spawn(process.execPath, ["--conditions=@realmchat/source", CLI, "--server", `127.0.0.1:${port}`], {
    stdio: "pipe",
    env: { PATH: process.env.PATH },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const type = (...lines: string[]): void => {
    child.stdin.write(lines.map((l) => `${l}\n`).join(""));
  };
  const until = async <T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> => {
    for (const deadline = Date.now() + ms; ;) {
      const found = check();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`the terminal client never showed ${what}:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  type(`/login ${user}`, password);
  return {
    type,
    async shows(text) {
      await until(text, () => (output.includes(text) ? true : undefined));
    },
    async windowsUntil(check) {
      for (let i = 0; ; i++) {
        const from = output.length;
        type("/windows");
        const list = await until("the window list", () => /(?:^|> )(1:status[^\n]*)\n/m.exec(output.slice(from))?.[1]);
        if (check(list)) return list;
        if (i >= 100) throw new Error(`the window list stayed ${list}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async quit() {
      type("/quit");
      child.stdin.end();
      await exited;
    },
  };
}
