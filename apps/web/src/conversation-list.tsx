import type { ChatStore } from "./chat-store.ts";

export function ConversationList({ store }: { readonly store: ChatStore }) {
  return (
    <nav aria-label="Conversations" class="conversations">
      <ul>
        {store.conversations.value.map((c) => {
          const unread = c.unread.value;
          const label = `${c.kind === "group" ? "#" : c.kind === "private" ? "@" : ""}${c.title}`;
          return (
            <li key={c.key}>
              <button
                type="button"
                aria-current={store.currentKey.value === c.key ? "page" : undefined}
                class={c.marked.value ? "marked" : undefined}
                onClick={() => store.open(c.key)}
              >
                <span class="name">{label}</span>
                {unread > 0 ? (
                  <span class="unread" aria-label={`${unread} unread`}>
                    {unread}
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
