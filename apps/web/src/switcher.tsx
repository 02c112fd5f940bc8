import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { ChatStore } from "./chat-store.ts";

/** Ctrl+K: type part of a conversation's name, Enter opens the first that matches, Escape closes. */
export function Switcher({ store, onClose }: { readonly store: ChatStore; readonly onClose: () => void }) {
  const query = useSignal("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const matches = store.conversations.value.filter((c) => c.title.toLowerCase().includes(query.value.trim().toLowerCase()));
  const choose = (key: string): void => {
    store.open(key);
    onClose();
  };
  return (
    <div class="switcher" role="dialog" aria-modal="true" aria-label="Switch conversation">
      <input
        ref={input}
        aria-label="Switch to"
        value={query}
        onInput={(e) => (query.value = e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") onClose();
          if (e.key === "Enter" && matches[0] !== undefined) choose(matches[0].key);
        }}
      />
      <ul>
        {matches.map((c) => (
          <li key={c.key}>
            <button type="button" onClick={() => choose(c.key)}>
              {c.kind === "group" ? "#" : c.kind === "private" ? "@" : ""}
              {c.title}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
