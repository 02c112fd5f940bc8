import { formatAddress, labelFor } from "@realmchat/protocol";
import type { ChatCompletion } from "./chat-completion.ts";
import type { ChatScreen } from "./chat-screen.ts";
import { STATUS_WINDOW } from "./chat-windows.ts";
import type { Style } from "./format.ts";
import { formatLiveMessage } from "./live-event-format.ts";
import type { ChatSessionPort } from "./chat-state.ts";
import { ClientStateError, ServerErrorReply } from "./errors.ts";
import type { RememberedTokens } from "./token-cache.ts";

const HELP = [
  ["/login <user>", "log in; the password is asked with echo off (also: auth)"],
  ["/msg <user>[@realm] <text>", "private message, in that conversation's window (also: send)"],
  ["/query <user>[@realm]", "open a window to talk privately with someone"],
  ["/join <group>[@realm] ...", "join groups, each in its own window (also: group)"],
  ["/leave [group]", "leave a group (in its window, 'exit' leaves it too)"],
  ["/win <n>", "show window n (also Alt-1..9); /close closes the window shown"],
  ["/windows", "every window, with its unread lines"],
  ["/me <action>", "say what you do: * messi waves"],
  ["/away [message]", "tell whoever writes to you that you are away; /away alone: back"],
  ["/who [group]", "members of a group, and who is online"],
  ["/groups", "groups you can join"],
  ["/inbox", "messages that came while you were away"],
  ["/logout", "end your session"],
  ["/quit", "leave the client"],
] as const;

/** What the interactive client does with each typed line. */
export class LiveChatCommands {
  static readonly words = [
    "login",
    "auth",
    "msg",
    "send",
    "query",
    "inbox",
    "join",
    "group",
    "leave",
    "close",
    "win",
    "windows",
    "me",
    "away",
    "who",
    "groups",
    "logout",
    "help",
    "quit",
  ] as const;
  readonly #session: ChatSessionPort;
  readonly #screen: ChatScreen;
  readonly #style: Style;
  readonly #completion: ChatCompletion;
  readonly #tokens: RememberedTokens;

  constructor(session: ChatSessionPort, screen: ChatScreen, style: Style, completion: ChatCompletion, tokens: RememberedTokens) {
    this.#session = session;
    this.#tokens = tokens;
    this.#screen = screen;
    this.#style = style;
    this.#completion = completion;
  }

  /** Handles one typed line; false when the client should quit. */
  async handle(line: string): Promise<boolean> {
    const trimmed = line.trim();
    if (trimmed.length === 0) return true;
    const slash = trimmed.startsWith("/");
    const words = (slash ? trimmed.slice(1) : trimmed).split(/\s+/);
    const word = (words[0] ?? "").toLowerCase();
    const known = (LiveChatCommands.words as readonly string[]).includes(word);
    const key = this.#screen.windows.current.key;
    if (!slash && !known && key !== STATUS_WINDOW) {
      if (trimmed === "exit" && key.startsWith("#")) await this.#leave(key.slice(1));
      else await this.#talk(key, line);
      return true;
    }
    if (!slash && !known && word !== "exit") {
      throw new ClientStateError(
        "you are not in a group: /join <group> to talk in one, /msg <user> <text> for a private message, /help for more",
      );
    }
    return this.#command(word, words.slice(1), trimmed);
  }

  /** Plain text in a group's or a person's window. */
  async #talk(key: string, text: string): Promise<void> {
    if (key.startsWith("#")) await this.#session.live().say(key.slice(1), text);
    else await this.#send(key.slice(1), text);
  }

  async #send(to: string, text: string): Promise<void> {
    const sent = await this.#session.live().send(to, text);
    this.#session.showPrivate(to, this.#session.state.user ?? "me", text, Date.now(), false);
    if (sent.queued) this.#session.show(`@${to}`, this.#style.dim(`queued for ${to} (their realm is unreachable now)`));
  }

  async #command(word: string, args: string[], line: string): Promise<boolean> {
    const s = this.#style;
    const session = this.#session;
    const screen = this.#screen;
    const rest = (n: number): string =>
      line
        .split(/\s+/)
        .slice(n + 1)
        .join(" ");
    switch (word) {
      case "login":
      case "auth": {
        const [user, typed] = args;
        if (user === undefined) throw new ClientStateError("usage: /login <user> (the password is asked for)");
        if (typed !== undefined) screen.forgetLastLine();
        const remembered = typed === undefined ? await this.#rememberedSession(user) : undefined;
        if (remembered !== undefined) {
          await this.#loggedIn(user, remembered);
          return true;
        }
        const password = typed ?? (await screen.readSecret(session.lines, `password for ${user}: `));
        if (password === undefined) throw new ClientStateError("no password given");
        await this.#loggedIn(user, await session.live().auth(user, password));
        return true;
      }
      case "msg":
      case "send": {
        const to = args[0];
        const text = rest(1);
        if (to === undefined || text.length === 0) throw new ClientStateError("usage: /msg <user> <text>");
        await this.#send(to, text);
        if (screen.windows.current.key !== `@${to}`) screen.say(s.green(`message sent to ${to}`));
        return true;
      }
      case "query": {
        const to = args[0];
        if (to === undefined) throw new ClientStateError("usage: /query <user>");
        this.#completion.saw(to);
        screen.showKey(`@${to}`);
        return true;
      }
      case "me": {
        const key = screen.windows.current.key;
        if (key === STATUS_WINDOW || args.length === 0)
          throw new ClientStateError("usage, in a group's or a person's window: /me <action>");
        await this.#talk(key, `/me ${rest(0)}`);
        return true;
      }
      case "away":
        session.state.away = args.length === 0 ? undefined : rest(0);
        session.state.toldAway.clear();
        screen.say(s.dim(session.state.away === undefined ? "you are back" : `away: ${session.state.away}`));
        return true;
      case "win": {
        const n = Number(args[0]);
        if (!Number.isInteger(n) || !screen.show(n))
          throw new ClientStateError(`usage: /win <n>, n from 1 to ${screen.windows.all.length}`);
        if (!screen.windows.current.lines.length) screen.say(s.dim(`window ${n}: ${screen.windows.current.key}`));
        return true;
      }
      case "windows":
        screen.say(screen.windows.list());
        return true;
      case "close": {
        const key = screen.windows.current.key;
        if (key === STATUS_WINDOW) throw new ClientStateError("the status window stays");
        if (key.startsWith("#")) await this.#leave(key.slice(1));
        else screen.windows.close(key);
        screen.redraw();
        return true;
      }
      case "inbox": {
        const messages = await session.live().inbox();
        if (messages.length === 0) screen.say(s.dim("inbox is empty"));
        for (const m of messages) screen.say(formatLiveMessage(m, s));
        const last = messages.at(-1);
        if (last !== undefined) await session.live().ack(last.msgId);
        return true;
      }
      case "join":
      case "group": {
        if (args.length === 0) throw new ClientStateError("usage: /join <group> ...");
        let key = "";
        for (const group of args) key = await session.join(group);
        screen.showKey(key);
        screen.say(s.dim(`in ${key}: type to talk, 'exit' or /leave to leave`));
        return true;
      }
      case "leave": {
        const key = screen.windows.current.key;
        const group = args[0] ?? (key.startsWith("#") ? key.slice(1) : undefined);
        if (group === undefined) throw new ClientStateError("usage: /leave <group>");
        await this.#leave(group.replace(/^#/, ""));
        return true;
      }
      case "who": {
        const key = screen.windows.current.key;
        const group = args[0]?.replace(/^#/, "") ?? (key.startsWith("#") ? key.slice(1) : undefined);
        if (group === undefined) throw new ClientStateError("usage: /who <group>");
        const { members, online } = await session.live().who(group);
        for (const m of members) this.#completion.saw(m);
        screen.say(`#${group}: ${members.map((m) => (online.includes(m) ? s.green(m) : m)).join(", ")} (${online.length} online)`);
        return true;
      }
      case "groups": {
        const groups = await session.live().groups();
        if (groups.length === 0) screen.say(s.dim("no groups yet: /join <name> creates one"));
        for (const g of groups) {
          const label = labelFor(g.name, g.home, session.state.realm ?? "");
          this.#completion.saw(label);
          screen.say(`${g.joined ? "*" : " "} #${label}`);
        }
        return true;
      }
      case "logout":
        await session.live().logout();
        await this.#forgetSession();
        session.loggedOut();
        screen.show(1);
        screen.say("logged out");
        return true;
      case "help":
        for (const [usage, what] of HELP) screen.say(`  ${s.bold(usage.padEnd(28))} ${what}`);
        return true;
      case "quit":
      case "exit":
        screen.say("bye");
        return false;
      default:
        throw new ClientStateError(`unknown command '/${word}' (try /help)`);
    }
  }

  /** A token remembered for `user` (a profile's `rememberToken`) that still opens a session. */
  async #rememberedSession(user: string): Promise<string | undefined> {
    const token = await this.#tokens.get(user);
    if (token === undefined) return undefined;
    const resumed = await this.#session
      .live()
      .resume(token)
      .catch((err: unknown) => {
        if (err instanceof ServerErrorReply) return undefined;
        throw err;
      });
    if (resumed === user) return token;
    await this.#tokens.set(user, undefined);
    return undefined;
  }

  /** Forgets the remembered token of the user logging out. */
  async #forgetSession(): Promise<void> {
    if (this.#session.state.user !== undefined) await this.#tokens.set(this.#session.state.user, undefined);
  }

  /** After a login: the realm, and whether messages wait. */
  async #loggedIn(user: string, token: string): Promise<void> {
    const client = this.#session.live();
    await this.#tokens.set(user, token);
    this.#session.state.token = token;
    this.#session.state.user = user;
    this.#session.state.realm = (await client.hello()).realm;
    this.#screen.say(this.#style.green(`logged in as ${formatAddress(user, this.#session.state.realm)}`));
    await this.#session.loadMarkers();
    const waiting = await client.inbox();
    if (waiting.length > 0) this.#screen.say(`${waiting.length} message${waiting.length === 1 ? "" : "s"} waiting: /inbox to read`);
  }

  async #leave(group: string): Promise<void> {
    await this.#session.live().leave(group);
    const joined = this.#session.state.joined;
    const i = joined.indexOf(group);
    if (i !== -1) joined.splice(i, 1);
    const windows = this.#screen.windows;
    const wasShown = windows.current.key === `#${group}`;
    windows.close(`#${group}`);
    if (wasShown) this.#screen.redraw();
    this.#screen.say(this.#style.dim(`left #${group}`));
  }
}
