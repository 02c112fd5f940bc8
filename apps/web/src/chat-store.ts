import { computed, signal, type Signal } from "@preact/signals";
import type { LinkState } from "./live-socket.ts";

export type LineKind = "message" | "action" | "event" | "notice";

/** One line of a conversation as shown. */
export interface Line {
  readonly id: number;
  readonly ts: number;
  readonly kind: LineKind;
  readonly from: string | undefined;
  readonly text: string;
  /** What makes two copies of one line the same (a message id, a group event's id). */
  readonly key: string;
  /** A group event's id on the group's home: older history is paged before it. */
  readonly eventId?: string;
}

export type ConversationKind = "status" | "group" | "private";

export interface Conversation {
  /** `#name@home`, `@user` or `status`. */
  readonly key: string;
  readonly kind: ConversationKind;
  /** The group's name or the other user, as the user's realm shows it. */
  readonly title: string;
  readonly lines: Signal<readonly Line[]>;
  readonly unread: Signal<number>;
  /** A private message or a mention came while the reader was elsewhere. */
  readonly marked: Signal<boolean>;
  /** The first line the reader has not seen: the "new messages" line goes above it. */
  readonly firstUnread: Signal<number | undefined>;
  /** A group's members (everyone who joined and has not left), and who of them is in it now. */
  readonly members: Signal<readonly string[]>;
  readonly online: Signal<readonly string[]>;
  /** A group's older history can be asked for (none yet, or the last page said `more`). */
  readonly older: Signal<"maybe" | "loading" | "none">;
}

const counts = (line: Line): boolean => line.kind === "message" || line.kind === "action";

/** Lines kept per conversation; older ones go (the realm keeps history). */
const MAX_LINES = 1000;

function makeConversation(key: string, kind: ConversationKind, title: string): Conversation {
  return {
    key,
    kind,
    title,
    lines: signal([]),
    unread: signal(0),
    marked: signal(false),
    firstUnread: signal(undefined),
    members: signal([]),
    online: signal([]),
    older: signal("maybe"),
  };
}

/** What the page shows, as signals: the components read it, the session writes it. */
export class ChatStore {
  readonly user = signal<string | undefined>(undefined);
  readonly realm = signal<string | undefined>(undefined);
  readonly link = signal<LinkState>("connecting");
  readonly conversations = signal<readonly Conversation[]>([makeConversation("status", "status", "status")]);
  readonly currentKey = signal("status");
  readonly current = computed(() => this.conversations.value.find((c) => c.key === this.currentKey.value) as Conversation);
  readonly totalUnread = computed(() => this.conversations.value.reduce((n, c) => n + c.unread.value, 0));
  /** The last line said to screen readers about another conversation. */
  readonly announcement = signal("");
  #nextLine = 1;
  /** Read markers by conversation key (docs/protocol.md, "Read markers"): lines at or before them are read. */
  readonly #markers = new Map<string, number>();
  /** Whether the page is in front of the reader (set from `document.visibilityState`). */
  visible = true;
  /** Told that the reader has seen a conversation up to `ts`: the realm keeps it as the read marker. */
  onRead: (conversation: Conversation, ts: number) => void = () => undefined;

  conversation(key: string, kind: ConversationKind, title: string): Conversation {
    const found = this.conversations.value.find((c) => c.key === key);
    if (found !== undefined) return found;
    const made = makeConversation(key, kind, title);
    this.conversations.value = [...this.conversations.value, made];
    return made;
  }

  /** Adds a line unless the conversation has one with the same key; true if added. */
  add(conversation: Conversation, line: Omit<Line, "id">, options: { readonly mention?: boolean } = {}): boolean {
    const lines = conversation.lines.value;
    if (lines.some((l) => l.key === line.key)) return false;
    const added: Line = { ...line, id: this.#nextLine++ };
    // Lines come in time order, except history that arrives after a live line: kept sorted by time.
    let at = lines.length;
    while (at > 0 && (lines[at - 1] as Line).ts > added.ts) at--;
    const next = [...lines.slice(0, at), added, ...lines.slice(at)];
    conversation.lines.value = next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
    const seen = this.visible && this.currentKey.value === conversation.key;
    if (seen && counts(added)) this.onRead(conversation, added.ts);
    if (!seen && counts(added) && added.ts > (this.#markers.get(conversation.key) ?? 0)) {
      if (conversation.unread.value === 0) conversation.firstUnread.value = added.id;
      conversation.unread.value++;
      if (options.mention === true || conversation.kind === "private") conversation.marked.value = true;
      if (this.currentKey.value !== conversation.key) this.announcement.value = `${conversation.title}: ${line.from ?? ""} ${line.text}`;
    }
    return true;
  }

  /** Opens a conversation: its unread lines are read now, and the "new messages" line stays where they began. */
  open(key: string): void {
    const conversation = this.conversations.value.find((c) => c.key === key);
    if (conversation === undefined) return;
    const previous = this.current.value;
    if (previous.key !== key) previous.firstUnread.value = undefined;
    this.currentKey.value = key;
    this.markRead(conversation);
  }

  markRead(conversation: Conversation): void {
    conversation.unread.value = 0;
    conversation.marked.value = false;
    const last = conversation.lines.value.findLast(counts);
    if (last !== undefined) this.onRead(conversation, last.ts);
  }

  /** Older lines of a conversation, paged back: above the others, never unread. */
  prepend(conversation: Conversation, older: ReadonlyArray<Omit<Line, "id">>): void {
    const known = new Set(conversation.lines.value.map((l) => l.key));
    const added = older.filter((l) => !known.has(l.key)).map((l) => ({ ...l, id: this.#nextLine++ }));
    conversation.lines.value = [...added, ...conversation.lines.value];
  }

  /** The reader read `key` up to `ts`, here or on another client: lines up to then are not unread. */
  markerMoved(key: string, ts: number): void {
    if (ts <= (this.#markers.get(key) ?? 0)) return;
    this.#markers.set(key, ts);
    const conversation = this.conversations.value.find((c) => c.key === key);
    if (conversation === undefined) return;
    const unread = conversation.lines.value.filter((l) => counts(l) && l.ts > ts);
    conversation.unread.value = this.currentKey.value === key && this.visible ? 0 : unread.length;
    if (conversation.unread.value === 0) {
      conversation.marked.value = false;
      if (this.currentKey.value !== key) conversation.firstUnread.value = undefined;
    } else conversation.firstUnread.value = unread[0]?.id;
  }

  markerOf(key: string): number {
    return this.#markers.get(key) ?? 0;
  }

  close(key: string): void {
    if (key === "status") return;
    this.conversations.value = this.conversations.value.filter((c) => c.key !== key);
    if (this.currentKey.value === key) this.currentKey.value = "status";
  }

  /** The conversation after (or before) the current one, or the next with unread lines. */
  neighbour(step: 1 | -1, unreadOnly = false): string | undefined {
    const all = this.conversations.value;
    const here = all.findIndex((c) => c.key === this.currentKey.value);
    for (let i = 1; i <= all.length; i++) {
      const c = all[(here + step * i + all.length * i) % all.length] as Conversation;
      if (!unreadOnly || c.unread.value > 0) return c.key;
    }
    return undefined;
  }

  /** A member joined, left for good, or lost their connection (`quit`: still a member, not online). */
  presence(conversation: Conversation, member: string, kind: "joined" | "left" | "quit"): void {
    const without = (list: readonly string[]): readonly string[] => list.filter((m) => m !== member);
    if (kind === "joined") {
      if (!conversation.members.value.includes(member)) conversation.members.value = [...conversation.members.value, member];
      if (!conversation.online.value.includes(member)) conversation.online.value = [...conversation.online.value, member];
      return;
    }
    conversation.online.value = without(conversation.online.value);
    if (kind === "left") conversation.members.value = without(conversation.members.value);
  }

  /** Forgets everything of the user (logout). */
  reset(): void {
    this.user.value = undefined;
    this.realm.value = undefined;
    this.conversations.value = [makeConversation("status", "status", "status")];
    this.currentKey.value = "status";
    this.#markers.clear();
  }
}
