import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { ClassicClient } from "./classic-client.ts";
import { ClientStateError, ConnectionClosedError, ServerErrorReply } from "./errors.ts";
import { formatInbox, styleFor, type Style } from "./format.ts";
import { formatServerAddress, type ServerAddress } from "./server-address.ts";

export interface InteractiveOptions {
  readonly address: ServerAddress;
  readonly input: Readable;
  readonly output: Writable & { readonly isTTY?: boolean };
  readonly terminal: boolean;
}

const COMMANDS = [
  ["auth <user> <password>", "log in (also: login)"],
  ["send <user>[@realm] <text>", "send a private message (also: msg)"],
  ["inbox", "read and empty your inbox"],
  ["group <name>", "chat in a group until you type 'exit' (creates it if new)"],
  ["logout", "end your session"],
  ["help", "this list"],
  ["quit", "leave the client"],
] as const;

function splitCommand(line: string): { readonly command: string; readonly args: string[]; readonly rest: (n: number) => string } {
  const words = line.trim().split(/\s+/);
  const rest = (n: number): string => {
    let text = line.trim();
    for (let i = 0; i < n; i++) text = text.slice(text.indexOf(words[i] as string) + (words[i] as string).length).trimStart();
    return text;
  };
  return { command: (words[0] ?? "").toLowerCase(), args: words.slice(1), rest };
}

/** The interactive client: a prompt, commands, and group chat printed above what you type. */
class InteractiveSession {
  readonly #client: ClassicClient;
  readonly #rl: Interface;
  readonly #out: InteractiveOptions["output"];
  readonly #style: Style;
  readonly #terminal: boolean;
  readonly #where: string;
  #inputClosed = false;

  constructor(client: ClassicClient, options: InteractiveOptions) {
    this.#client = client;
    this.#out = options.output;
    this.#terminal = options.terminal;
    this.#style = styleFor(options.output);
    this.#where = formatServerAddress(options.address);
    this.#rl = createInterface({ input: options.input, output: options.output, terminal: options.terminal, historySize: 200 });
    this.#rl.on("close", () => {
      this.#inputClosed = true;
    });
  }

  #prompt(): void {
    if (this.#inputClosed) return;
    const group = this.#client.inGroup;
    const who = this.#client.username ?? "guest";
    this.#rl.setPrompt(group === undefined ? `${who}@${this.#where}> ` : `${who} in #${group}> `);
    this.#rl.prompt();
  }

  /** Prints a line without breaking what the user is typing. */
  #print(text: string): void {
    if (this.#terminal) {
      this.#out.write("\r\u001b[K" + text + "\n");
      if (!this.#inputClosed) this.#rl.prompt(true);
    } else {
      this.#out.write(text + "\n");
    }
  }

  async run(): Promise<number> {
    const s = this.#style;
    this.#out.write(`connected to ${this.#where}; type ${s.bold("help")} for commands\n`);
    this.#prompt();
    for await (const line of this.#rl) {
      if (this.#client.closed) break;
      const keepGoing = await this.#handle(line);
      if (!keepGoing) break;
      if (this.#client.closed) {
        this.#out.write(s.red("error: the server closed the connection") + "\n");
        this.#rl.close();
        return 1;
      }
      this.#prompt();
    }
    this.#rl.close();
    await this.#client.close();
    return 0;
  }

  async #handle(line: string): Promise<boolean> {
    const s = this.#style;
    try {
      if (this.#client.inGroup !== undefined) {
        if (line.trim() === "exit") this.#out.write(s.dim(await this.#client.leaveGroup()) + "\n");
        else if (line.trim().length > 0) this.#client.say(line);
        return true;
      }
      const { command, args, rest } = splitCommand(line);
      switch (command) {
        case "":
          return true;
        case "auth":
        case "login": {
          const [user, password] = args;
          if (user === undefined || password === undefined) throw new ClientStateError("usage: auth <user> <password>");
          await this.#client.auth(user, password);
          this.#out.write(s.green(`logged in as ${user}`) + "\n");
          return true;
        }
        case "send":
        case "msg": {
          const to = args[0];
          const text = rest(2);
          if (to === undefined || text.length === 0) throw new ClientStateError("usage: send <user> <text>");
          const sent = await this.#client.send(to, text);
          this.#out.write(s.green(sent.queued ? `queued for ${to} (their realm is unreachable)` : `message sent to ${to}`) + "\n");
          return true;
        }
        case "inbox":
          this.#out.write(formatInbox(await this.#client.inbox(), s) + "\n");
          return true;
        case "group":
        case "join": {
          const group = args[0];
          if (group === undefined) throw new ClientStateError("usage: group <name>");
          await this.#client.joinGroup(group, (text) => this.#print(text));
          this.#out.write(s.dim(`in group ${group}: type to chat, 'exit' to leave`) + "\n");
          return true;
        }
        case "logout":
          await this.#client.logout();
          this.#out.write("logged out\n");
          return true;
        case "help":
          for (const [usage, what] of COMMANDS) this.#out.write(`  ${s.bold(usage.padEnd(28))} ${what}\n`);
          return true;
        case "quit":
        case "exit":
          return false;
        default:
          throw new ClientStateError(`unknown command '${command}' (try help)`);
      }
    } catch (err) {
      if (err instanceof ServerErrorReply || err instanceof ClientStateError || err instanceof ConnectionClosedError) {
        this.#out.write(s.red(`error: ${err.message}`) + "\n");
        return !(err instanceof ConnectionClosedError);
      }
      throw err;
    }
  }
}

/** Runs the interactive client until `quit` or end of input; resolves with an exit code. */
export async function runInteractive(options: InteractiveOptions): Promise<number> {
  const client = await ClassicClient.connect(options.address);
  return new InteractiveSession(client, options).run();
}
