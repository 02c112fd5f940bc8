import { useSignal } from "@preact/signals";
import type { ChatSession } from "./chat-session.ts";

export function LoginForm({ session, realmHost }: { readonly session: ChatSession; readonly realmHost: string }) {
  const user = useSignal("");
  const password = useSignal("");
  const error = useSignal("");
  const busy = useSignal(false);
  const submit = (e: Event): void => {
    e.preventDefault();
    busy.value = true;
    error.value = "";
    session.login(user.value.trim(), password.value).then(
      () => (busy.value = false),
      (err: unknown) => {
        busy.value = false;
        error.value = err instanceof Error ? err.message : String(err);
      },
    );
  };
  return (
    <main class="login">
      <h1>realmchat</h1>
      <p class="where">{realmHost}</p>
      <form onSubmit={submit}>
        <label>
          User
          <input name="user" autocomplete="username" required value={user} onInput={(e) => (user.value = e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => (password.value = e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Log in
        </button>
        {error.value === "" ? null : <p role="alert">{error}</p>}
      </form>
    </main>
  );
}
