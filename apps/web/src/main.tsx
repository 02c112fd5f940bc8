import { effect } from "@preact/signals";
import { render } from "preact";
import { ChatPage } from "./chat-page.tsx";
import { ChatSession } from "./chat-session.ts";
import { ChatStore } from "./chat-store.ts";
import { LoginForm } from "./login-form.tsx";

const store = new ChatStore();
const scheme = location.protocol === "https:" ? "wss:" : "ws:";
const session = new ChatSession(store, `${scheme}//${location.host}/live`, localStorage, () => location.reload());

// The title counts what is unread; a hidden tab notifies of private messages and mentions.
effect(() => {
  const unread = store.totalUnread.value;
  document.title = unread > 0 ? `(${unread}) realmchat` : "realmchat";
});
document.addEventListener("visibilitychange", () => {
  store.visible = document.visibilityState === "visible";
  if (store.visible) store.markRead(store.current.value);
});
effect(() => {
  const said = store.announcement.value;
  if (said === "" || store.visible || typeof Notification === "undefined" || Notification.permission !== "granted") return;
  new Notification("realmchat", { body: said });
});

function App() {
  return store.user.value === undefined ? <LoginForm session={session} realmHost={location.host} /> : <ChatPage session={session} />;
}

render(<App />, document.getElementById("app") as HTMLElement);
session.start().catch(() => undefined);
if (typeof Notification !== "undefined" && Notification.permission === "default") {
  document.addEventListener("click", () => void Notification.requestPermission(), { once: true });
}
