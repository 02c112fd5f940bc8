import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { ChatSession } from "./chat-session.ts";
import { ConversationList } from "./conversation-list.tsx";
import { ConversationView } from "./conversation-view.tsx";
import { MemberList } from "./member-list.tsx";
import { Switcher } from "./switcher.tsx";

const LINK_TEXT = { connecting: "connecting…", open: "connected", down: "connection lost; reconnecting…" } as const;

/** Alt+↑/↓ the previous/next conversation, Alt+A the next with unread lines, Ctrl+K the switcher. */
function useKeyboard(session: ChatSession, focusMessage: () => void, openSwitcher: () => void): void {
  useEffect(() => {
    const store = session.store;
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        openSwitcher();
        return;
      }
      if (!e.altKey) return;
      const key =
        e.key === "ArrowDown"
          ? store.neighbour(1)
          : e.key === "ArrowUp"
            ? store.neighbour(-1)
            : e.key.toLowerCase() === "a"
              ? store.neighbour(1, true)
              : undefined;
      if (key === undefined) return;
      e.preventDefault();
      store.open(key);
      focusMessage();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [session]);
}

export function ChatPage({ session }: { readonly session: ChatSession }) {
  const store = session.store;
  const draft = useSignal("");
  const input = useRef<HTMLInputElement>(null);
  const focusMessage = (): void => input.current?.focus();
  const switching = useSignal(false);
  useKeyboard(session, focusMessage, () => (switching.value = true));
  const send = (e: Event): void => {
    e.preventDefault();
    const line = draft.value;
    draft.value = "";
    session.typed(line).catch(() => undefined);
  };
  const prefill = (text: string) => (): void => {
    draft.value = text;
    focusMessage();
  };
  const current = store.current.value;
  return (
    <div class="chat">
      <header>
        <span class="who">
          {store.user}@{store.realm}
        </span>
        <span class={`link ${store.link.value}`} role="status">
          {LINK_TEXT[store.link.value]}
        </span>
        <button type="button" onClick={prefill("/join ")}>
          Join a group
        </button>
        <button type="button" onClick={prefill("/msg ")}>
          Private message
        </button>
        <button type="button" onClick={() => session.logout()}>
          Log out
        </button>
      </header>
      <ConversationList store={store} />
      <main class="conversation" aria-label={current.title}>
        <h2>{current.kind === "group" ? `#${current.title}` : current.title}</h2>
        <ConversationView conversation={current} onOlder={() => session.older(current)} />
        <form class="composer" onSubmit={send}>
          <input
            ref={input}
            aria-label="Message"
            autocomplete="off"
            placeholder={current.kind === "status" ? "/join <group> or /msg <user> <text>" : `Message ${current.title}`}
            value={draft}
            onInput={(e) => (draft.value = e.currentTarget.value)}
          />
          <button type="submit">Send</button>
        </form>
      </main>
      {current.kind === "group" ? <MemberList conversation={current} /> : null}
      {switching.value ? (
        <Switcher
          store={store}
          onClose={() => {
            switching.value = false;
            focusMessage();
          }}
        />
      ) : null}
      <div class="visually-hidden" aria-live="polite">
        {store.announcement}
      </div>
    </div>
  );
}
