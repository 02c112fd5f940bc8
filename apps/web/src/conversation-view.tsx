import { useLayoutEffect, useRef } from "preact/hooks";
import type { Conversation, Line } from "./chat-store.ts";
import { MessageText } from "./message-text.tsx";

function time(ts: number): string {
  const d = new Date(ts);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

function LineView({ line }: { readonly line: Line }) {
  return (
    <li class={`line ${line.kind}`}>
      <time dateTime={new Date(line.ts).toISOString()}>{time(line.ts)}</time>{" "}
      {line.kind === "message" ? (
        <>
          <span class="from">{line.from}</span> <MessageText text={line.text} />
        </>
      ) : line.kind === "action" ? (
        <>
          * <span class="from">{line.from}</span> <MessageText text={line.text} />
        </>
      ) : line.kind === "event" ? (
        `${line.from ?? ""} ${line.text}`
      ) : (
        <MessageText text={line.text} />
      )}
    </li>
  );
}

/** How near the top (px) a scroll asks for older lines; how near the bottom still counts as at the bottom. */
const NEAR_TOP = 48;
const NEAR_BOTTOM = 32;

/**
 * The lines of one conversation; it stays at the bottom while the reader is there, and shows where
 * the unread ones begin. Scrolled to the top it asks for older lines (`onOlder`), and the lines the
 * reader was looking at stay where they were as the older ones come in above them.
 */
export function ConversationView({ conversation, onOlder }: { readonly conversation: Conversation; readonly onOlder: () => void }) {
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const before = useRef({ key: "", firstId: 0, height: 0, top: 0 });
  const lines = conversation.lines.value;
  const firstUnread = conversation.firstUnread.value;
  useLayoutEffect(() => {
    const el = list.current;
    if (el === null) return;
    const was = before.current;
    const firstId = lines[0]?.id ?? 0;
    if (was.key !== conversation.key) atBottom.current = true;
    if (atBottom.current) el.scrollTop = el.scrollHeight;
    else if (was.key === conversation.key && firstId !== was.firstId) el.scrollTop = was.top + (el.scrollHeight - was.height);
    before.current = { key: conversation.key, firstId, height: el.scrollHeight, top: el.scrollTop };
  }, [lines, conversation.key]);
  const onScroll = (): void => {
    const el = list.current;
    if (el === null) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
    before.current = { ...before.current, height: el.scrollHeight, top: el.scrollTop };
    if (el.scrollTop < NEAR_TOP && conversation.older.value === "maybe") onOlder();
  };
  return (
    <ol
      ref={list}
      class="lines"
      aria-label={`Messages in ${conversation.title}`}
      aria-busy={conversation.older.value === "loading"}
      onScroll={onScroll}
    >
      {lines.map((line) => (
        <>
          {line.id === firstUnread ? (
            <li key={`new-${line.id}`} class="new-messages" role="separator">
              new messages
            </li>
          ) : null}
          <LineView key={line.id} line={line} />
        </>
      ))}
    </ol>
  );
}
