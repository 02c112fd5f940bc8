import type { Readable, Writable } from "node:stream";
import { labelFor, type LiveEvent } from "@realmchat/protocol";
import { ChatCompletion } from "./chat-completion.ts";
import { ChatScreen } from "./chat-screen.ts";
import type { ChatSessionPort, ChatState } from "./chat-state.ts";
import { STATUS_WINDOW } from "./chat-windows.ts";
import { ClientStateError, ConnectionClosedError, ServerErrorReply } from "./errors.ts";
import { styleFor, type Style } from "./format.ts";
import { LiveChatCommands } from "./live-chat-commands.ts";
import { formatLiveEvent, formatSaid } from "./live-event-format.ts";
import { LiveClient } from "./live-client.ts";
import type { ServerAddress } from "./server-address.ts";
import { ServerRotation } from "./server-rotation.ts";
import { timeLabel } from "./time-label.ts";
import { InboxAcknowledger } from "./inbox-acknowledger.ts";
import { historyEvents, inJoinHistory } from "./join-history.ts";
import { ReadMarkerSync } from "./read-marker-sync.ts";
import { RememberedTokens, type TokenCache } from "./token-cache.ts";
import { WindowLog } from "./window-log.ts";

export interface LiveChatOptions {
  /** Servers of the realm, tried in turn (on start and after a lost connection). */
  readonly addresses: readonly ServerAddress[];
  readonly input: Readable;
  readonly output: Writable & { readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number };
  readonly terminal: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Keep every window's lines in `<dir>/<window>.log` too. */
  readonly logDir?: string;
  /** Log in as this user at start: with a remembered token if there is one, else asking for the password. */
  readonly login?: string;
  /** Where tokens are remembered between runs (a profile's `rememberToken`). */
  readonly tokens?: TokenCache;
}

/**
 * The interactive client on the live protocol: windows per conversation, a status line, chat
 * arriving as it happens (docs/protocol.md, "Live protocol"), reconnecting by itself.
 */
export class LiveChatSession implements ChatSessionPort {
  readonly #options: LiveChatOptions;
  readonly #style: Style;
  readonly #servers: ServerRotation;
  readonly #tokens: RememberedTokens;
  readonly #screen: ChatScreen;
  readonly #completion: ChatCompletion;
  readonly #commands: LiveChatCommands;
  readonly #log: WindowLog | undefined;
  readonly #markers: ReadMarkerSync;
  readonly #acks: InboxAcknowledger;
  readonly state: ChatState = { user: undefined, realm: undefined, token: undefined, joined: [], away: undefined, toldAway: new Set() };
  #client: LiveClient | undefined;
  #quitting = false;
  /** Created at once so that lines typed (or piped) before the connection is up are kept. */
  readonly #lines: AsyncIterator<string>;
  /** Events of groups being joined, held until the join's history is printed (then each shows once). */
  readonly #joining = new Map<string, LiveEvent[]>();

  constructor(options: LiveChatOptions) {
    this.#options = options;
    this.#style = styleFor(options.output, options.env);
    this.#servers = new ServerRotation(options.addresses);
    // Tokens are kept under the first server's address, whichever server answers.
    this.#tokens = new RememberedTokens(options.tokens, this.#servers.where);
    this.#log = options.logDir === undefined ? undefined : new WindowLog(options.logDir);
    this.#completion = new ChatCompletion(LiveChatCommands.words);
    this.#screen = new ChatScreen({
      input: options.input,
      output: options.output,
      terminal: options.terminal,
      prompt: () => this.#promptText(),
      status: () => {
        const { user, away } = this.state;
        return `[${timeLabel(Date.now())}]${user === undefined ? "" : ` [${user}${away === undefined ? "" : " (away)"}]`}`;
      },
      completer: (line) => this.#completion.complete(line),
    });
    this.#markers = new ReadMarkerSync(
      this.#screen.windows,
      () => (this.state.token === undefined || this.#quitting ? undefined : this.#client),
      (err) => this.#backgroundFailed(err),
    );
    this.#acks = new InboxAcknowledger(() => this.#client, this.#ackFailed);
    this.#commands = new LiveChatCommands(this, this.#screen, this.#style, this.#completion, this.#tokens);
    // Ctrl-C clears what is typed; on an empty line it quits.
    this.#screen.rl.on("SIGINT", () => {
      if (this.#screen.rl.line.length > 0) {
        this.#screen.rl.write(null, { ctrl: true, name: "u" });
        return;
      }
      this.#screen.say("bye");
      this.#screen.close();
    });
    this.#lines = this.#screen.rl[Symbol.asyncIterator]();
  }

  #promptText(): string {
    const { user, realm } = this.state;
    const who = user === undefined ? `guest@${this.#servers.where}` : `${user}@${realm}`;
    const key = this.#screen.windows.current.key;
    return `${who}${key === STATUS_WINDOW ? "" : ` ${key}`}> `;
  }

  get lines(): AsyncIterator<string> {
    return this.#lines;
  }

  /** A line for a window, kept in the window log too. */
  show(key: string, line: string, mention = false, ts?: number, counted = true): void {
    this.#screen.add(key, line, mention, ts, counted);
    this.#log?.write(key, line);
  }

  /** The window of a group, as this realm labels it. */
  groupWindow(group: string, home: string): string {
    return `#${labelFor(group, home, this.state.realm ?? "")}`;
  }

  /** Shows a group event in its window; one that names the reader marks it. */
  showGroupEvent(event: Extract<LiveEvent, { ev: "group" }>): void {
    this.#completion.saw(event.member);
    const user = this.state.user;
    const mention =
      event.kind === "message" && user !== undefined && event.member !== user && new RegExp(`\\b${user}\\b`, "i").test(event.text ?? "");
    const line = formatLiveEvent(event, this.#style);
    const key = this.groupWindow(event.group, event.home);
    this.show(key, mention ? this.#style.yellow(line) : line, mention, event.ts, event.kind === "message");
  }

  /** A private message, in the window of that conversation; one of ours goes there too. */
  showPrivate(peer: string, from: string, text: string, ts: number, mention: boolean): void {
    this.#completion.saw(peer);
    this.show(`@${peer}`, `${this.#style.dim(`[${timeLabel(ts)}]`)} ${formatSaid(from, text, this.#style)}`, mention, ts);
  }

  readonly #onEvent = (event: LiveEvent): void => {
    const held = event.ev === "group" ? this.#joining.get(event.group) : undefined;
    if (held !== undefined) {
      held.push(event);
      return;
    }
    switch (event.ev) {
      case "group":
        this.showGroupEvent(event);
        return;
      case "message":
        if (!this.#acks.received(event.msgId)) return;
        this.showPrivate(
          event.from,
          event.fromName === event.from ? event.from : `${event.fromName} (${event.from})`,
          event.text,
          event.ts,
          true,
        );
        this.#answerIfAway(event.from);
        return;
      case "moved": {
        const from = this.groupWindow(event.group, event.from);
        const to = this.groupWindow(event.group, event.home);
        const i = this.state.joined.indexOf(from.slice(1));
        if (i !== -1) this.state.joined.splice(i, 1, to.slice(1));
        this.#screen.windows.rename(from, to);
        this.show(to, formatLiveEvent(event, this.#style));
        this.#screen.prompt();
        return;
      }
      case "delivered":
        this.show(
          this.#screen.windows.get(`@${event.to}`) === undefined ? this.#screen.windows.current.key : `@${event.to}`,
          formatLiveEvent(event, this.#style),
        );
        return;
      case "notice":
        this.show(this.#screen.windows.current.key, formatLiveEvent(event, this.#style));
        return;
      case "read":
        this.#markers.moved(event);
        this.#screen.prompt();
        return;
    }
  };

  #answerIfAway(from: string): void {
    const { away, toldAway } = this.state;
    if (away === undefined || toldAway.has(from)) return;
    toldAway.add(from);
    this.#client?.send(from, `(away) ${away}`).catch(this.#backgroundFailed);
  }

  /** A request the user did not type failed: said in the current window, as any failure is. */
  readonly #backgroundFailed = (err: unknown): void => {
    this.show(this.#screen.windows.current.key, this.#style.red(`! ${err instanceof Error ? err.message : String(err)}`));
  };

  readonly #ackFailed = (err: unknown): void => {
    const why = err instanceof Error ? err.message : String(err);
    this.show(this.#screen.windows.current.key, this.#style.dim(`! a message was not marked read (${why}); it may be shown again`));
  };

  /** Joins a group: its window opens with the recent history, each event once. */
  async join(group: string): Promise<string> {
    const bare = group.split("@")[0] as string;
    const held: LiveEvent[] = [];
    this.#joining.set(bare, held);
    let joined;
    try {
      joined = await this.live().join(group);
    } finally {
      this.#joining.delete(bare);
    }
    const key = this.groupWindow(joined.group, joined.home);
    this.#completion.saw(key.slice(1));
    const existed = this.#screen.windows.get(key) !== undefined;
    if (!existed) for (const e of historyEvents(joined)) this.showGroupEvent(e);
    for (const e of held) if (existed || !inJoinHistory(joined, e)) this.#onEvent(e);
    for (const m of joined.members) this.#completion.saw(m);
    if (!this.state.joined.includes(key.slice(1))) this.state.joined.push(key.slice(1));
    return key;
  }

  /** Connects to one of the realm's servers; a lost connection is redialed (#onDisconnect). */
  async #connect(): Promise<LiveClient> {
    const client = await this.#servers.connect(this.#onEvent);
    this.#client = client;
    client.closed.then(() => this.#onDisconnect(client)).catch(this.#backgroundFailed);
    return client;
  }

  async #onDisconnect(client: LiveClient): Promise<void> {
    if (this.#quitting || this.#client !== client) return;
    this.#client = undefined;
    const status = this.#screen.windows.current.key;
    this.show(status, this.#style.red("* connection lost; reconnecting..."));
    for (let wait = 200; !this.#quitting; wait = Math.min(wait * 2, 5000)) {
      await new Promise((r) => setTimeout(r, wait / 2 + Math.random() * (wait / 2)));
      let next: LiveClient;
      try {
        next = await this.#connect();
      } catch {
        continue;
      }
      if (this.state.token === undefined) {
        this.show(status, this.#style.green("* reconnected"));
        return;
      }
      try {
        await next.resume(this.state.token);
        await this.#markers.load(next);
        for (const group of this.state.joined) await next.join(group);
        const back = this.state.joined.length > 0 ? `, back in ${this.state.joined.map((g) => `#${g}`).join(" ")}` : "";
        this.show(status, this.#style.green(`* reconnected as ${this.state.user}${back}`));
      } catch (err) {
        if (!(err instanceof ServerErrorReply)) continue;
        this.loggedOut();
        this.show(status, this.#style.red("* reconnected, but the session has expired: /login again"));
      }
      this.#screen.prompt();
      return;
    }
  }

  /** The realm's read markers, after a login. */
  loadMarkers(): Promise<void> {
    return this.#markers.load(this.live());
  }

  loggedOut(): void {
    this.state.user = undefined;
    this.state.token = undefined;
    this.state.away = undefined;
    this.state.joined.length = 0;
    for (const w of [...this.#screen.windows.all]) if (w.key.startsWith("#")) this.#screen.windows.close(w.key);
  }

  live(): LiveClient {
    if (this.#client === undefined) throw new ClientStateError("not connected (reconnecting...)");
    return this.#client;
  }

  async run(): Promise<number> {
    await this.#connect();
    this.#screen.say(`connected to ${this.#servers.where}; ${this.#style.bold("/help")} lists the commands`);
    if (this.#options.login !== undefined) await this.#handle(`/login ${this.#options.login}`);
    this.#screen.prompt();
    for (let next = await this.#lines.next(); next.done !== true; next = await this.#lines.next()) {
      this.#screen.entered(next.value);
      const keepGoing = await this.#handle(next.value);
      if (!keepGoing) break;
      this.#screen.prompt();
    }
    this.#quitting = true;
    this.#screen.close();
    await this.#log?.close();
    await this.#client?.close();
    return 0;
  }

  async #handle(line: string): Promise<boolean> {
    try {
      return await this.#commands.handle(line);
    } catch (err) {
      if (err instanceof ServerErrorReply || err instanceof ClientStateError || err instanceof ConnectionClosedError) {
        this.#screen.say(this.#style.red(`error: ${err.message}`));
        return true;
      }
      throw err;
    }
  }
}
