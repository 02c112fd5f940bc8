import type { Socket } from "node:net";
import {
  decodeClassicReply,
  encodeClassicRequest,
  GROUP_EXIT_COMMAND,
  GROUP_EXIT_MARKER,
  inboxEntriesOf,
  inboxHasMore,
  ReplyDecoder,
  type ClassicRequest,
  type FrameTooLargeError,
  type InboxEntry,
  type ReplySink,
} from "@realmchat/protocol";
import { ClientStateError, ConnectionClosedError, ServerErrorReply } from "./errors.ts";
import type { ServerAddress } from "./server-address.ts";
import { openServerConnection } from "./server-connection.ts";

interface Pending {
  readonly request: string;
  resolve(body: Readonly<Record<string, unknown>>): void;
  reject(error: Error): void;
}

/** Receives pushed group-mode lines (without their `\n`). */
export type GroupLineHandler = (line: string) => void;

type Mode =
  { readonly kind: "command" } | { readonly kind: "group"; readonly group: string; readonly onLine: GroupLineHandler; leaving: boolean };

/**
 * A client of the classic protocol over TCP: one request at a time on the wire's order, replies
 * matched first-in first-out; group mode switches the stream to pushed text lines until `exit`.
 */
export class ClassicClient implements ReplySink, AsyncDisposable {
  readonly address: ServerAddress;
  readonly #socket: Socket;
  readonly #replies = new ReplyDecoder();
  readonly #pending: Pending[] = [];
  #mode: Mode = { kind: "command" };
  #groupText = "";
  #closed: Error | undefined;
  token: string | undefined;
  username: string | undefined;

  private constructor(address: ServerAddress, socket: Socket) {
    this.address = address;
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => this.#onData(text));
    socket.on("error", (err) => this.#fail(new ConnectionClosedError(`connection error: ${err.message}`, { cause: err })));
    socket.on("close", () => this.#fail(new ConnectionClosedError()));
  }

  static connect(address: ServerAddress): Promise<ClassicClient> {
    return openServerConnection(address).then((socket) => new ClassicClient(address, socket));
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  get inGroup(): string | undefined {
    return this.#mode.kind === "group" ? this.#mode.group : undefined;
  }

  #onData(text: string): void {
    if (this.#mode.kind === "command") {
      this.#replies.push(text, this);
      return;
    }
    this.#groupText += text;
    this.#drainGroupText(this.#mode);
  }

  #drainGroupText(mode: Extract<Mode, { kind: "group" }>): void {
    for (;;) {
      const buffered = this.#groupText;
      // Pushed lines end in \n; the exit marker does not and is followed by the JSON reply.
      if (
        mode.leaving &&
        buffered.startsWith(GROUP_EXIT_MARKER) &&
        buffered.length > GROUP_EXIT_MARKER.length &&
        buffered[GROUP_EXIT_MARKER.length] === "{"
      ) {
        this.#mode = { kind: "command" };
        this.#groupText = "";
        this.#replies.push(buffered.slice(GROUP_EXIT_MARKER.length), this);
        return;
      }
      const nl = buffered.indexOf("\n");
      if (nl === -1) return;
      this.#groupText = buffered.slice(nl + 1);
      // An error reply instead of group mode (e.g. a bad token) is JSON; no pushed line starts
      // with `{` since names cannot.
      if (buffered.startsWith("{")) {
        this.#mode = { kind: "command" };
        this.#groupText = "";
        this.#replies.push(buffered, this);
        return;
      }
      mode.onLine(buffered.slice(0, nl));
    }
  }

  onReply(body: string): void {
    const pending = this.#pending.shift();
    if (pending === undefined) return;
    let parsed;
    try {
      parsed = decodeClassicReply(body);
    } catch (err) {
      pending.reject(err as Error);
      return;
    }
    if (parsed.status === "OK") pending.resolve(parsed.body);
    else pending.reject(new ServerErrorReply(pending.request, parsed.code, parsed.message));
  }

  onFrameError(error: FrameTooLargeError): void {
    this.#fail(error);
    this.#socket.destroy();
  }

  #fail(error: Error): void {
    if (this.#closed !== undefined) return;
    this.#closed = error;
    for (const pending of this.#pending.splice(0)) pending.reject(error);
  }

  #expectReply(request: string): Promise<Readonly<Record<string, unknown>>> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => this.#pending.push({ request, resolve, reject }));
  }

  /** Sends a request and waits for its reply; ERROR replies reject with {@link ServerErrorReply}. */
  request(request: ClassicRequest): Promise<Readonly<Record<string, unknown>>> {
    if (this.#mode.kind === "group") return Promise.reject(new ClientStateError(`in group ${this.#mode.group}: send 'exit' first`));
    const reply = this.#expectReply(request.kind);
    this.#socket.write(encodeClassicRequest(request));
    return reply;
  }

  /** Sends a raw line exactly as given (for tests and the seed's own byte patterns). */
  sendRaw(text: string): void {
    this.#socket.write(text);
  }

  #requireToken(): string {
    if (this.token === undefined) throw new ClientStateError("not logged in: auth first");
    return this.token;
  }

  async auth(user: string, password: string): Promise<string> {
    const body = await this.request({ kind: "auth", user, password });
    this.token = String(body.tokenid);
    this.username = user;
    return this.token;
  }

  async send(to: string, text: string): Promise<{ readonly id: string; readonly queued: boolean; readonly message: string }> {
    const at = to.indexOf("@");
    const address = at === -1 ? { user: to, realm: undefined } : { user: to.slice(0, at), realm: to.slice(at + 1) };
    const body = await this.request({ kind: "send", token: this.#requireToken(), to: address, text });
    return { id: String(body.id ?? ""), queued: body.queued === true, message: String(body.message ?? "") };
  }

  /** The whole inbox, page after page (each page leaves the server once it has been sent). */
  async inbox(): Promise<InboxEntry[]> {
    const entries: InboxEntry[] = [];
    for (;;) {
      const body = await this.request({ kind: "inbox", token: this.#requireToken() });
      entries.push(...inboxEntriesOf(body));
      if (!inboxHasMore(body)) return entries;
    }
  }

  async logout(): Promise<void> {
    await this.request({ kind: "logout", token: this.#requireToken() });
    this.token = undefined;
  }

  /**
   * Enters group mode. Lines pushed by the server go to `onLine`. Resolves once the server has
   * confirmed with our own `joined` line, rejects on an ERROR reply.
   */
  joinGroup(group: string, onLine: GroupLineHandler): Promise<void> {
    const token = this.#requireToken();
    if (this.#mode.kind === "group") return Promise.reject(new ClientStateError(`already in group ${this.#mode.group}`));
    const joinedLine = `${this.username} joined`;
    return new Promise((resolve, reject) => {
      let settled = false;
      const failure = this.#expectReply("group");
      failure.then(
        () => undefined,
        (err: Error) => {
          if (!settled) {
            settled = true;
            reject(err);
          }
        },
      );
      this.#mode = {
        kind: "group",
        group,
        leaving: false,
        onLine: (line) => {
          if (!settled && line === joinedLine) {
            settled = true;
            resolve();
          }
          onLine(line);
        },
      };
      const at = group.indexOf("@");
      const name = at === -1 ? group : group.slice(0, at);
      const realm = at === -1 ? undefined : group.slice(at + 1);
      this.#socket.write(encodeClassicRequest({ kind: "group", token, group: name, realm }));
    });
  }

  /** Sends chat text in group mode (one line, as the seed's client does). */
  say(text: string): void {
    if (this.#mode.kind !== "group") throw new ClientStateError("not in a group");
    this.#socket.write(text + "\n");
  }

  /** Leaves group mode; resolves with the server's closing message. */
  async leaveGroup(): Promise<string> {
    if (this.#mode.kind !== "group") throw new ClientStateError("not in a group");
    // The reply to the original `group` request is this exit reply.
    const waiting = this.#pending.at(-1);
    this.#mode.leaving = true;
    const reply = new Promise<Readonly<Record<string, unknown>>>((resolve, reject) => {
      if (waiting === undefined) {
        this.#pending.push({ request: "exit", resolve, reject });
        return;
      }
      this.#pending[this.#pending.length - 1] = { request: "exit", resolve, reject };
    });
    this.#socket.write(GROUP_EXIT_COMMAND + "\n");
    const body = await reply;
    return String(body.message ?? "");
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.destroyed) return resolve();
      this.#socket.once("close", () => resolve());
      this.#socket.end();
      setTimeout(() => this.#socket.destroy(), 500).unref();
    });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
