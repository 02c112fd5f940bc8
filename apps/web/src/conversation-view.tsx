import { useEffect, useRef } from "preact/hooks";
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

/** The lines of one conversation; it stays at the bottom while the reader is there, and shows where the unread ones begin. */
export function ConversationView({ conversation }: { readonly conversation: Conversation }) {
  const list = useRef<HTMLOListElement>(null);
  const lines = conversation.lines.value;
  const firstUnread = conversation.firstUnread.value;
  useEffect(() => {
    const el = list.current;
    if (el !== null) el.scrollTop = el.scrollHeight;
  }, [lines.length, conversation.key]);
  return (
    <ol ref={list} class="lines" aria-label={`Messages in ${conversation.title}`}>
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
