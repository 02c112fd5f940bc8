import type { LiveEvent, LiveHistoryEntry, LiveMessage, LiveReadMarker } from "@realmchat/protocol/live";
import type { ChatStore, Conversation, Line } from "./chat-store.ts";
import { parseTyped } from "./commands.ts";
import { LinkLost, LiveSocket, RequestRefused } from "./live-socket.ts";

/** A client id for a send (docs/protocol.md, "Client ids"): random, without crypto.randomUUID (not on plain http). */
function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** How long the page shows why it reloads before it does. */
const RELOAD_AFTER_MS = 1500;

/** Where the page keeps its session between reloads: the token, never the password. */
const SESSION_KEY = "realmchat.session";

interface SavedSession {
  readonly token: string;
  readonly user: string;
  readonly realm: string;
  /** The groups the page was in (`name@home`), joined again after a reload. */
  readonly groups?: readonly string[];
}

/** `/me waves` is an action, shown `* user waves` (as the CLI sends and shows it). */
function lineOf(text: string): { readonly kind: "message" | "action"; readonly text: string } {
  return text.startsWith("/me ") ? { kind: "action", text: text.slice(4) } : { kind: "message", text };
}

function errorText(err: unknown): string {
  if (err instanceof RequestRefused || err instanceof LinkLost) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The page's chat: a live link to its realm, what it shows (ChatStore), and the session kept
 * across reloads and lost links. Private messages are acknowledged once shown, once per turn;
 * after a lost link the session is taken up again and its groups joined again, and every line
 * is shown once (lines are matched by message id, or a group event's member, time and text).
 */
export class ChatSession {
  readonly store: ChatStore;
  readonly #socket: LiveSocket;
  readonly #storage: Storage;
  readonly #joined = new Map<string, { readonly group: string; readonly home: string }>();
  readonly #reload: () => void;
  #ackUpTo: string | undefined;
  #ackQueued = false;
  /** Read markers to tell the realm at the end of the turn, by conversation key. */
  readonly #reads = new Map<string, number>();

  /** `reload` reloads the page: what it does when the realm cannot take up the session again. */
  constructor(store: ChatStore, url: string, storage: Storage, reload: () => void) {
    this.store = store;
    this.#storage = storage;
    this.#reload = reload;
    this.#socket = new LiveSocket(url, {
      onEvent: (event) => this.#onEvent(event),
      onState: (state) => (store.link.value = state),
      onReopen: () => this.#takeUpAgain(),
    });
    store.onRead = (conversation, ts) => this.#read(conversation, ts);
  }

  /** Connects, and takes up the session the page had before a reload, if it still holds. */
  async start(): Promise<void> {
    await this.#socket.start();
    const saved = this.#saved();
    if (saved === undefined) return;
    try {
      await this.#socket.requestNow("resume", { token: saved.token });
      await this.#enter(saved.user, saved.realm, saved.groups ?? []);
    } catch (err) {
      this.#storage.removeItem(SESSION_KEY);
      this.#status(`your session has ended (${errorText(err)}): log in again`);
    }
  }

  async login(user: string, password: string): Promise<void> {
    const reply = await this.#socket.request("auth", { user, password });
    this.#storage.setItem(SESSION_KEY, JSON.stringify({ token: reply.token, user: reply.user, realm: reply.realm } satisfies SavedSession));
    await this.#enter(reply.user, reply.realm, []);
  }

  async logout(): Promise<void> {
    this.#storage.removeItem(SESSION_KEY);
    this.#joined.clear();
    this.store.reset();
    await this.#socket.request("logout", {}).catch((err: unknown) => this.#status(`logged out here; the realm said: ${errorText(err)}`));
  }

  /** A line typed in the message box of the current conversation. */
  async typed(line: string): Promise<void> {
    const command = parseTyped(line);
    if (command === undefined) return;
    const here = this.store.current.value;
    try {
      switch (command.kind) {
        case "say":
        case "me": {
          // As the CLI sends it, so that every client shows it as an action.
          const text = command.kind === "me" ? `/me ${command.text}` : command.text;
          if (here.kind === "group") {
            this.#noteIfWaiting(here, text);
            await this.#socket.request("say", { group: here.key.slice(1), text, cid: newClientId() }, { resend: true });
          } else if (here.kind === "private") await this.#sendPrivate(here.title, text);
          else this.#status("this is the status window: /join a group or /msg someone first");
          return;
        }
        case "join":
          await this.join(command.group);
          return;
        case "leave": {
          const key = command.group === undefined ? here.key : this.#groupKeyOf(command.group);
          await this.leave(key);
          return;
        }
        case "msg": {
          const conversation = this.store.conversation(`@${command.to}`, "private", command.to);
          this.store.open(conversation.key);
          if (command.text !== undefined) await this.#sendPrivate(command.to, command.text);
          return;
        }
        case "who": {
          const group = command.group ?? (here.kind === "group" ? here.key.slice(1) : undefined);
          if (group === undefined) return this.#status("/who needs a group");
          const who = await this.#socket.request("who", { group });
          this.#note(here, `#${who.group}: ${who.members.join(", ")} (online: ${who.online.join(", ") || "nobody"})`);
          return;
        }
        case "logout":
          await this.logout();
          return;
        case "unknown":
          this.#note(here, `unknown command ${command.word}: /join, /msg, /me, /who, /leave, /logout`);
          return;
      }
    } catch (err) {
      this.#note(here, `not done: ${errorText(err)}`);
    }
  }

  /** Joins a group; `open`: shown at once (its history read as it is shown), else counted unread from the read marker. */
  async join(group: string, open = true): Promise<void> {
    const joined = await this.#socket.request("join", { group });
    const conversation = this.#groupConversation(joined.group, joined.home);
    this.#joined.set(conversation.key, { group: joined.group, home: joined.home });
    this.#saveGroups();
    if (open) this.store.open(conversation.key);
    for (const h of joined.history) this.#groupLine(conversation, h);
    await this.#whoIsIn(conversation, joined.group, joined.home);
  }

  /** Asks for older lines of a group, before the first one shown (scrolled to the top); they come in above. */
  older(conversation: Conversation): void {
    const joined = this.#joined.get(conversation.key);
    const first = conversation.lines.value.find((l) => l.eventId !== undefined);
    if (joined === undefined || conversation.older.value !== "maybe") return;
    if (first?.eventId === undefined) {
      conversation.older.value = "none";
      return;
    }
    conversation.older.value = "loading";
    this.#socket.request("history", { group: `${joined.group}@${joined.home}`, before: first.eventId, limit: 50 }).then(
      (page) => {
        this.store.prepend(
          conversation,
          page.history.map((h) => this.#groupLineOf(h)),
        );
        conversation.older.value = page.more ? "maybe" : "none";
      },
      (err: unknown) => {
        conversation.older.value = "maybe";
        this.#note(conversation, `older lines not loaded: ${errorText(err)}`);
      },
    );
  }

  async leave(key: string): Promise<void> {
    const joined = this.#joined.get(key);
    if (joined !== undefined) {
      await this.#socket.request("leave", { group: `${joined.group}@${joined.home}` });
      this.#joined.delete(key);
      this.#saveGroups();
    }
    this.store.close(key);
  }

  async #sendPrivate(to: string, text: string): Promise<void> {
    const conversation = this.store.conversation(`@${to}`, "private", to);
    this.#noteIfWaiting(conversation, text);
    const sent = await this.#socket.request("send", { to, text, cid: newClientId() }, { resend: true });
    this.store.add(conversation, { ...lineOf(text), ts: Date.now(), from: this.store.user.value, key: sent.msgId });
    if (sent.queued) this.#note(conversation, `${to} cannot be reached now: the message waits and goes when it can`);
  }

  async #enter(user: string, realm: string, groups: readonly string[]): Promise<void> {
    this.store.user.value = user;
    this.store.realm.value = realm;
    // The markers first: lines up to them were read (here, or on another client) and are not counted.
    const { markers } = await this.#socket.request("markers", {});
    for (const m of markers) this.#markerMoved(m);
    for (const group of groups) await this.join(group, false).catch((err: unknown) => this.#status(`${group}: ${errorText(err)}`));
    await this.#readInbox();
  }

  /** A line typed while the link is down waits for it: said so, as the line shows only once sent. */
  #noteIfWaiting(conversation: Conversation, text: string): void {
    if (this.store.link.value !== "open") this.#note(conversation, `waiting for the connection to send: ${text}`);
  }

  /** The reader saw `conversation` up to `ts`: the realm is told once per turn per conversation. */
  #read(conversation: Conversation, ts: number): void {
    if (conversation.kind === "status" || ts <= this.store.markerOf(conversation.key)) return;
    const first = this.#reads.size === 0;
    this.#reads.set(conversation.key, Math.max(ts, this.#reads.get(conversation.key) ?? 0));
    if (!first) return;
    queueMicrotask(() => {
      const reads = [...this.#reads];
      this.#reads.clear();
      for (const [key, upTo] of reads) {
        this.#socket.request("read", { conversation: this.#wireName(key), ts: upTo }).then(
          (marker) => this.#markerMoved(marker),
          (err: unknown) => this.#status(`not marked read on the realm (${errorText(err)})`),
        );
      }
    });
  }

  /** A conversation as the realm names it (LiveReadMarker): `#name` for this realm's groups. */
  #wireName(key: string): string {
    const realm = this.store.realm.value;
    return realm !== undefined && key.startsWith("#") && key.endsWith(`@${realm}`) ? key.slice(0, -realm.length - 1) : key;
  }

  #markerMoved(marker: LiveReadMarker): void {
    const { conversation } = marker;
    const key =
      conversation.startsWith("#") && !conversation.includes("@") ? `${conversation}@${this.store.realm.value ?? ""}` : conversation;
    this.store.markerMoved(key, marker.ts);
  }

  #saveGroups(): void {
    const saved = this.#saved();
    if (saved === undefined) return;
    const groups = [...this.#joined.values()].map((g) => `${g.group}@${g.home}`);
    this.#storage.setItem(SESSION_KEY, JSON.stringify({ ...saved, groups } satisfies SavedSession));
  }

  /** After a lost link: the same session, the same groups, and what came meanwhile, each line once. */
  async #takeUpAgain(): Promise<void> {
    const saved = this.#saved();
    if (saved === undefined || this.store.user.value === undefined) return;
    try {
      await this.#socket.requestNow("resume", { token: saved.token });
    } catch (err) {
      this.#storage.removeItem(SESSION_KEY);
      this.#status(`the realm could not take up your session (${errorText(err)}); the page reloads`);
      setTimeout(this.#reload, RELOAD_AFTER_MS);
      return;
    }
    const { markers } = await this.#socket.requestNow("markers", {});
    for (const m of markers) this.#markerMoved(m);
    for (const { group, home } of this.#joined.values()) {
      const joined = await this.#socket.requestNow("join", { group: `${group}@${home}` });
      const conversation = this.#groupConversation(joined.group, joined.home);
      for (const h of joined.history) this.#groupLine(conversation, h);
      // On the link as it is: what waits for the link goes only once this is done.
      await this.#whoIsIn(conversation, joined.group, joined.home, true);
    }
    const { messages } = await this.#socket.requestNow("inbox", { limit: 1000 });
    for (const m of messages) this.#privateLine(m);
  }

  async #readInbox(): Promise<void> {
    const { messages } = await this.#socket.request("inbox", { limit: 1000 });
    for (const m of messages) this.#privateLine(m);
  }

  #onEvent(event: LiveEvent): void {
    switch (event.ev) {
      case "message":
        this.#privateLine(event);
        return;
      case "group": {
        const conversation = this.#groupConversation(event.group, event.home);
        this.#groupLine(conversation, event);
        if (event.kind !== "message") this.store.presence(conversation, event.member, event.kind);
        return;
      }
      case "read":
        this.#markerMoved(event);
        return;
      case "moved":
      case "notice":
        this.#status(event.text);
        return;
      case "delivered": {
        const conversation = this.store.conversation(`@${event.to}`, "private", event.to);
        this.#note(conversation, "delivered");
        return;
      }
    }
  }

  #privateLine(m: LiveMessage): void {
    const conversation = this.store.conversation(`@${m.from}`, "private", m.from);
    this.store.add(conversation, { ...lineOf(m.text), ts: m.ts, from: m.from, key: m.msgId });
    // Shown is read: one `ack` per turn, up to the last message shown (inboxes are in order).
    this.#ackUpTo = m.msgId;
    if (this.#ackQueued) return;
    this.#ackQueued = true;
    queueMicrotask(() => {
      this.#ackQueued = false;
      const upTo = this.#ackUpTo;
      if (upTo === undefined) return;
      this.#socket.request("ack", { upTo }).catch((err: unknown) => this.#status(`not marked read (${errorText(err)}); shown again later`));
    });
  }

  #groupLine(conversation: Conversation, e: LiveHistoryEntry): void {
    const me = this.store.user.value;
    const mention = e.kind === "message" && me !== undefined && e.member !== me && (e.text ?? "").includes(me);
    this.store.add(conversation, this.#groupLineOf(e), { mention });
  }

  /** A group event as a line; its event id makes a copy (history and push) one line. */
  #groupLineOf(e: LiveHistoryEntry): Omit<Line, "id"> {
    const key = e.eventId ?? `${e.member} ${e.ts} ${e.kind} ${e.text ?? ""}`;
    const ids = e.eventId === undefined ? {} : { eventId: e.eventId };
    if (e.kind === "message") return { ...lineOf(e.text ?? ""), ts: e.ts, from: e.member, key, ...ids };
    const what = e.kind === "joined" ? "joined" : e.kind === "quit" ? "quit" : "left";
    return { ts: e.ts, kind: "event", from: e.member, text: what, key, ...ids };
  }

  /** Who is in a group now: asked once on joining, then kept up from its joined, left and quit events. */
  async #whoIsIn(conversation: Conversation, group: string, home: string, onLinkAsItIs = false): Promise<void> {
    const fields = { group: `${group}@${home}` };
    const who = onLinkAsItIs ? await this.#socket.requestNow("who", fields) : await this.#socket.request("who", fields);
    conversation.members.value = who.members;
    conversation.online.value = who.online;
  }

  #groupConversation(group: string, home: string): Conversation {
    const title = home === this.store.realm.value ? group : `${group}@${home}`;
    return this.store.conversation(`#${group}@${home}`, "group", title);
  }

  #groupKeyOf(group: string): string {
    const [name, home] = group.split("@");
    return `#${name}@${home ?? this.store.realm.value ?? ""}`;
  }

  #note(conversation: Conversation, text: string): void {
    this.store.add(conversation, { ts: Date.now(), kind: "notice", from: undefined, text, key: `note ${Math.random()}` });
  }

  #status(text: string): void {
    this.#note(this.store.conversation("status", "status", "status"), text);
  }

  #saved(): SavedSession | undefined {
    const text = this.#storage.getItem(SESSION_KEY);
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as SavedSession;
    } catch {
      return undefined;
    }
  }
}
