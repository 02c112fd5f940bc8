/**
 * The interactive client's windows, as irssi and weechat have them: window 1 is the status
 * window; every group and every private conversation has a window of its own. A line for a
 * window other than the one shown counts as unread there; one that mentions the reader marks it.
 */
export interface ChatWindow {
  /** `status`, `#group` (with `@realm` for another realm's), or `@user` for a private conversation. */
  readonly key: string;
  readonly lines: string[];
  unread: number;
  mentioned: boolean;
  /** Time of the newest line (ms). */
  lastTs: number;
  /** Times of the unread lines: a read marker from elsewhere clears those at or before it. */
  unreadTimes: number[];
}

/** Told that the reader has seen a window up to `ts` (it is shown, or a line came to it while shown). */
export type ReadListener = (key: string, ts: number) => void;

const made = (key: string): ChatWindow => ({ key, lines: [], unread: 0, mentioned: false, lastTs: 0, unreadTimes: [] });

export const STATUS_WINDOW = "status";

export class ChatWindows {
  readonly #list: ChatWindow[] = [];
  readonly #maxLines: number;
  /** Read markers by window key (docs/protocol.md, "Read markers"): lines at or before them are read. */
  readonly #markers = new Map<string, number>();
  #current = 0;
  onRead: ReadListener = () => undefined;

  constructor(maxLines = 500) {
    this.#maxLines = maxLines;
    this.#list.push(made(STATUS_WINDOW));
  }

  get all(): readonly ChatWindow[] {
    return this.#list;
  }

  get current(): ChatWindow {
    return this.#list[this.#current] as ChatWindow;
  }

  /** 1-based, as `/win N` and Alt-N count. */
  numberOf(key: string): number | undefined {
    const i = this.#list.findIndex((w) => w.key === key);
    return i === -1 ? undefined : i + 1;
  }

  get(key: string): ChatWindow | undefined {
    return this.#list.find((w) => w.key === key);
  }

  /** The window for `key`, made (at the end) if it does not exist. */
  open(key: string): ChatWindow {
    const found = this.get(key);
    if (found !== undefined) return found;
    const window = made(key);
    this.#list.push(window);
    return window;
  }

  /** Closes a window (never the status window); shows the one before it if it was shown. */
  close(key: string): void {
    const i = this.#list.findIndex((w) => w.key === key);
    if (i <= 0) return;
    this.#list.splice(i, 1);
    if (this.#current >= i) this.#current = Math.max(0, this.#current - 1);
  }

  /** A group moved (merged into another of its name): its window follows it. */
  rename(from: string, to: string): void {
    const window = this.get(from);
    if (window === undefined || this.get(to) !== undefined) return;
    (window as { key: string }).key = to;
  }

  /** Shows window `n` (1-based); false if there is none. */
  show(n: number): boolean {
    if (n < 1 || n > this.#list.length) return false;
    this.#current = n - 1;
    const w = this.current;
    w.unread = 0;
    w.unreadTimes = [];
    w.mentioned = false;
    if (w.lastTs > 0) this.onRead(w.key, w.lastTs);
    return true;
  }

  showKey(key: string): boolean {
    const n = this.numberOf(key);
    return n !== undefined && this.show(n);
  }

  next(): void {
    this.show(((this.#current + 1) % this.#list.length) + 1);
  }

  previous(): void {
    this.show(((this.#current - 1 + this.#list.length) % this.#list.length) + 1);
  }

  /**
   * Adds a line to a window (made if needed); returns whether it is the window shown. A line of
   * the conversation has its time `ts`: one at or before the window's read marker was read elsewhere.
   * One not `counted` (someone joined or left) is never unread, as in the browser client.
   */
  add(key: string, line: string, mention = false, ts?: number, counted = true): boolean {
    const window = this.open(key);
    window.lines.push(line);
    if (window.lines.length > this.#maxLines) window.lines.splice(0, window.lines.length - this.#maxLines);
    // Only a line of the conversation (with its time) moves the marker; the client's own notes do not.
    if (ts !== undefined) window.lastTs = Math.max(window.lastTs, ts);
    if (window === this.current) {
      if (ts !== undefined) this.onRead(key, window.lastTs);
      return true;
    }
    if (!counted) return false;
    if (ts === undefined) ts = Date.now();
    else if (ts <= (this.#markers.get(key) ?? 0)) return false;
    window.unread++;
    window.unreadTimes.push(ts);
    if (mention) window.mentioned = true;
    return false;
  }

  /** The reader read `key` up to `ts` (here or on another client): its lines up to then are read. */
  markRead(key: string, ts: number): void {
    if (ts <= (this.#markers.get(key) ?? 0)) return;
    this.#markers.set(key, ts);
    const window = this.get(key);
    if (window === undefined) return;
    window.unreadTimes = window.unreadTimes.filter((t) => t > ts);
    window.unread = window.unreadTimes.length;
    if (window.unread === 0) window.mentioned = false;
  }

  /** Where the reader has read up to in `key`. */
  markerOf(key: string): number {
    return this.#markers.get(key) ?? 0;
  }

  /** Every window with its number and unread lines: `1:status 2:#batak(3) 3:@james`. */
  list(): string {
    return this.#list.map((w, i) => `${i + 1}:${w.key}${w.unread > 0 ? `(${w.unread}${w.mentioned ? "!" : ""})` : ""}`).join(" ");
  }

  /** `[2:#batak] act: 3:@james(2) 4:#jazz(5!)` — the shown window, then those with unread lines. */
  statusLine(): string {
    const shown = `[${this.#current + 1}:${this.current.key}]`;
    const active = this.#list.flatMap((w, i) => (w.unread > 0 ? [`${i + 1}:${w.key}(${w.unread}${w.mentioned ? "!" : ""})`] : []));
    return active.length === 0 ? shown : `${shown} act: ${active.join(" ")}`;
  }
}
