import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { formatAddress, labelFor, type LiveEvent } from "@realmchat/protocol";
import { ClientStateError, ConnectionClosedError, ServerErrorReply } from "./errors.ts";
import { styleFor, type Style } from "./format.ts";
import { formatLiveEvent, formatLiveMessage } from "./live-event-format.ts";
import { LiveClient } from "./live-client.ts";
import { MutableOutput } from "./muted-output.ts";
import { formatServerAddress, type ServerAddress } from "./server-address.ts";

export interface LiveChatOptions {
  readonly address: ServerAddress;
  readonly input: Readable;
  readonly output: Writable & { readonly isTTY?: boolean };
  readonly terminal: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

const HELP = [
  ["/login <user>", "log in; the password is asked with echo off (also: auth)"],
  ["/msg <user>[@realm] <text>", "private message (also: send)"],
  ["/inbox", "messages that came while you were away"],
  ["/join <group>[@realm] ...", "join groups and talk in the last one; you may be in several (also: group)"],
  ["/leave [group]", "leave a group (in a group, 'exit' leaves it too)"],
  ["/who [group]", "members of a group, and who is online"],
  ["/groups", "groups you can join"],
  ["/logout", "end your session"],
  ["/quit", "leave the client"],
] as const;

const COMMAND_WORDS = new Set(["login", "auth", "msg", "send", "inbox", "join", "group", "leave", "who", "groups", "logout", "help", "quit"]);

/** The interactive client on the live protocol: a prompt, commands, and chat arriving above it. */
export class LiveChatSession {
  readonly #options: LiveChatOptions;
  readonly #rl: Interface;
  readonly #echo: MutableOutput;
  readonly #style: Style;
  readonly #where: string;
  #client: LiveClient | undefined;
  #user: string | undefined;
  #realm: string | undefined;
  #token: string | undefined;
  #current: string | undefined;
  readonly #joined: string[] = [];
  #quitting = false;
  #inputClosed = false;
  /** Created at once so that lines typed (or piped) before the connection is up are kept. */
  readonly #lines: AsyncIterator<string>;

  constructor(options: LiveChatOptions) {
    this.#options = options;
    this.#style = styleFor(options.output, options.env);
    this.#where = formatServerAddress(options.address);
    this.#echo = new MutableOutput(options.output);
    this.#rl = createInterface({ input: options.input, output: this.#echo, terminal: options.terminal, historySize: 500 });
    this.#rl.on("close", () => (this.#inputClosed = true));
    // Ctrl-C clears what is typed; on an empty line it quits.
    this.#rl.on("SIGINT", () => {
      if (this.#rl.line.length > 0) {
        this.#rl.write(null, { ctrl: true, name: "u" });
        return;
      }
      this.#say("bye");
      this.#rl.close();
    });
    this.#lines = this.#rl[Symbol.asyncIterator]();
  }

  #promptText(): string {
    const who = this.#user === undefined ? `guest@${this.#where}` : `${this.#user}@${this.#realm}`;
    return `${who}${this.#current === undefined ? "" : ` #${this.#current}`}> `;
  }

  #prompt(): void {
    if (this.#inputClosed) return;
    this.#rl.setPrompt(this.#promptText());
    this.#rl.prompt();
  }

  /** Prints a line above what the user is typing. */
  #print(text: string): void {
    if (this.#options.terminal) {
      this.#options.output.write("\r\u001b[K" + text + "\n");
      if (!this.#inputClosed) this.#rl.prompt(true);
    } else {
      this.#options.output.write(text + "\n");
    }
  }

  #say(text: string): void {
    this.#options.output.write(text + "\n");
  }

  /** Events of groups being joined, held until the join's history is printed (then each shows once). */
  readonly #joining = new Map<string, LiveEvent[]>();

  readonly #onEvent = (event: LiveEvent): void => {
    const held = event.ev === "group" ? this.#joining.get(event.group) : undefined;
    if (held !== undefined) {
      held.push(event);
      return;
    }
    if (event.ev === "moved") this.#moved(labelFor(event.group, event.from, this.#realm ?? ""), labelFor(event.group, event.home, this.#realm ?? ""));
    this.#print(formatLiveEvent(event, this.#style));
    // Shown is read: the server may drop it from the inbox.
    if (event.ev === "message") void this.#client?.ack(event.msgId).catch(() => undefined);
  };

  /** The server merged a group into another of its name: we are in that one now. */
  #moved(from: string, to: string): void {
    const i = this.#joined.indexOf(from);
    if (i !== -1) this.#joined.splice(i, 1, to);
    if (this.#current === from) {
      this.#current = to;
      if (!this.#inputClosed) this.#rl.setPrompt(this.#promptText());
    }
  }

  async #connect(): Promise<LiveClient> {
    const client = await LiveClient.connect(this.#options.address, this.#onEvent);
    this.#client = client;
    void client.closed.then(() => this.#onDisconnect(client));
    return client;
  }

  async #onDisconnect(client: LiveClient): Promise<void> {
    if (this.#quitting || this.#client !== client) return;
    this.#client = undefined;
    this.#print(this.#style.red("* connection lost; reconnecting..."));
    for (let wait = 200; !this.#quitting; wait = Math.min(wait * 2, 5000)) {
      await new Promise((r) => setTimeout(r, wait / 2 + Math.random() * (wait / 2)));
      let next: LiveClient;
      try {
        next = await this.#connect();
      } catch {
        continue;
      }
      if (this.#token === undefined) {
        this.#print(this.#style.green("* reconnected"));
        return;
      }
      try {
        await next.resume(this.#token);
        for (const group of this.#joined) await next.join(group);
        this.#print(this.#style.green(`* reconnected as ${this.#user}${this.#joined.length > 0 ? `, back in ${this.#joined.map((g) => `#${g}`).join(" ")}` : ""}`));
      } catch (err) {
        if (!(err instanceof ServerErrorReply)) continue;
        this.#user = undefined;
        this.#token = undefined;
        this.#current = undefined;
        this.#joined.length = 0;
        this.#print(this.#style.red("* reconnected, but the session has expired: /login again"));
      }
      this.#prompt();
      return;
    }
  }

  /** The line just read held a password: it leaves readline's history (and, on a terminal, the screen). */
  #forgetLastLine(shown: string): void {
    const history = (this.#rl as unknown as { history?: string[] }).history;
    if (history !== undefined && history.length > 0) history.shift();
    if (this.#options.terminal) this.#options.output.write(`\u001b[1A\r\u001b[K${this.#promptText()}${shown}\n`);
  }

  /** Reads the next line with echo off on a terminal (a password), keeping it out of the history. */
  async #readSecret(prompt: string): Promise<string> {
    if (this.#options.terminal) this.#options.output.write(prompt);
    this.#echo.muted = this.#options.terminal;
    try {
      const next = await this.#lines.next();
      if (next.done === true) throw new ClientStateError("no password given");
      return next.value;
    } finally {
      this.#echo.muted = false;
      if (this.#options.terminal) {
        this.#options.output.write("\n");
        const history = (this.#rl as unknown as { history?: string[] }).history;
        if (history !== undefined && history.length > 0) history.shift();
      }
    }
  }

  #live(): LiveClient {
    if (this.#client === undefined) throw new ClientStateError("not connected (reconnecting...)");
    return this.#client;
  }

  async run(): Promise<number> {
    await this.#connect();
    this.#say(`connected to ${this.#where}; ${this.#style.bold("/help")} lists the commands`);
    this.#prompt();
    for (let next = await this.#lines.next(); next.done !== true; next = await this.#lines.next()) {
      const keepGoing = await this.#handle(next.value);
      if (!keepGoing) break;
      this.#prompt();
    }
    this.#quitting = true;
    this.#rl.close();
    await this.#client?.close();
    return 0;
  }

  async #handle(line: string): Promise<boolean> {
    const trimmed = line.trim();
    if (trimmed.length === 0) return true;
    const slash = trimmed.startsWith("/");
    const words = (slash ? trimmed.slice(1) : trimmed).split(/\s+/);
    const word = (words[0] ?? "").toLowerCase();
    try {
      if (!slash && this.#current !== undefined && !COMMAND_WORDS.has(word)) {
        if (trimmed === "exit") await this.#leave(this.#current);
        else await this.#live().say(this.#current, line);
        return true;
      }
      if (!slash && !COMMAND_WORDS.has(word) && word !== "exit") {
        throw new ClientStateError("you are not in a group: /join <group> to talk in one, /msg <user> <text> for a private message, /help for more");
      }
      return await this.#command(word, words.slice(1), trimmed);
    } catch (err) {
      if (err instanceof ServerErrorReply || err instanceof ClientStateError || err instanceof ConnectionClosedError) {
        this.#say(this.#style.red(`error: ${err.message}`));
        return true;
      }
      throw err;
    }
  }

  async #command(word: string, args: string[], line: string): Promise<boolean> {
    const s = this.#style;
    switch (word) {
      case "login":
      case "auth": {
        const [user, typed] = args;
        if (user === undefined) throw new ClientStateError("usage: /login <user> (the password is asked for)");
        if (typed !== undefined) this.#forgetLastLine(line.replace(typed, "*".repeat(8)));
        const password = typed ?? (await this.#readSecret(`password for ${user}: `));
        const client = this.#live();
        this.#token = await client.auth(user, password);
        this.#user = user;
        this.#realm = (await client.hello()).realm;
        this.#say(s.green(`logged in as ${formatAddress(user, this.#realm)}`));
        const waiting = await client.inbox();
        if (waiting.length > 0) this.#say(`${waiting.length} message${waiting.length === 1 ? "" : "s"} waiting: /inbox to read`);
        return true;
      }
      case "msg":
      case "send": {
        const to = args[0];
        const text = to === undefined ? "" : line.slice(line.indexOf(to) + to.length).trim();
        if (to === undefined || text.length === 0) throw new ClientStateError("usage: /msg <user> <text>");
        const sent = await this.#live().send(to, text);
        this.#say(s.green(sent.queued ? `queued for ${to} (their realm is unreachable now)` : `message sent to ${to}`));
        return true;
      }
      case "inbox": {
        const messages = await this.#live().inbox();
        if (messages.length === 0) this.#say(s.dim("inbox is empty"));
        for (const m of messages) this.#say(formatLiveMessage(m, s));
        const last = messages.at(-1);
        if (last !== undefined) await this.#live().ack(last.msgId);
        return true;
      }
      case "join":
      case "group": {
        if (args.length === 0) throw new ClientStateError("usage: /join <group> ...");
        for (const group of args) {
          const bare = group.split("@")[0] as string;
          const held: LiveEvent[] = [];
          this.#joining.set(bare, held);
          let joined;
          try {
            joined = await this.#live().join(group);
          } finally {
            this.#joining.delete(bare);
          }
          const name = labelFor(joined.group, joined.home, this.#realm ?? "");
          for (const h of joined.history) {
            this.#say(formatLiveEvent({ ev: "group", group: joined.group, home: joined.home, kind: h.kind, member: h.member, ...(h.text === undefined ? {} : { text: h.text }), ts: h.ts }, s));
          }
          // An event pushed while the join was answered is usually in its history already.
          const inHistory = (e: LiveEvent): boolean =>
            e.ev === "group" && joined.history.some((h) => h.kind === e.kind && h.member === e.member && h.text === e.text && Math.abs(h.ts - e.ts) < 2000);
          for (const e of held) if (!inHistory(e)) this.#onEvent(e);
          if (!this.#joined.includes(name)) this.#joined.push(name);
          this.#current = name;
        }
        this.#say(s.dim(`in #${this.#current ?? ""}: type to talk, 'exit' or /leave to leave`));
        return true;
      }
      case "leave": {
        const group = args[0] ?? this.#current;
        if (group === undefined) throw new ClientStateError("usage: /leave <group>");
        await this.#leave(group);
        return true;
      }
      case "who": {
        const group = args[0] ?? this.#current;
        if (group === undefined) throw new ClientStateError("usage: /who <group>");
        const { members, online } = await this.#live().who(group);
        this.#say(`#${group}: ${members.map((m) => (online.includes(m) ? s.green(m) : m)).join(", ")} (${online.length} online)`);
        return true;
      }
      case "groups": {
        const groups = await this.#live().groups();
        if (groups.length === 0) this.#say(s.dim("no groups yet: /join <name> creates one"));
        for (const g of groups) this.#say(`${g.joined ? "*" : " "} #${labelFor(g.name, g.home, this.#realm ?? "")}`);
        return true;
      }
      case "logout":
        await this.#live().logout();
        this.#user = undefined;
        this.#token = undefined;
        this.#current = undefined;
        this.#joined.length = 0;
        this.#say("logged out");
        return true;
      case "help":
        for (const [usage, what] of HELP) this.#say(`  ${s.bold(usage.padEnd(28))} ${what}`);
        return true;
      case "quit":
      case "exit":
        this.#say("bye");
        return false;
      default:
        throw new ClientStateError(`unknown command '/${word}' (try /help)`);
    }
  }

  async #leave(group: string): Promise<void> {
    await this.#live().leave(group);
    const i = this.#joined.indexOf(group);
    if (i !== -1) this.#joined.splice(i, 1);
    if (this.#current === group) this.#current = this.#joined.at(-1);
    this.#say(this.#style.dim(`left #${group}`));
  }
}

/** Runs the interactive live client until /quit or end of input; resolves with an exit code. */
export function runLiveChat(options: LiveChatOptions): Promise<number> {
  return new LiveChatSession(options).run();
}
