import { isConversation, type LiveReadMarker } from "@realmchat/protocol";
import type { ChatWindows } from "./chat-windows.ts";
import type { LiveClient } from "./live-client.ts";

/**
 * Keeps the windows' unread lines in step with the realm's read markers (docs/protocol.md, "Read
 * markers"): what the reader sees here is marked read on the realm, once per turn per window, and a
 * conversation read in the browser (or another terminal) stops counting as unread here.
 */
export class ReadMarkerSync {
  readonly #windows: ChatWindows;
  /** The logged-in connection, if there is one now. */
  readonly #client: () => LiveClient | undefined;
  readonly #failed: (err: unknown) => void;
  readonly #pending = new Map<string, number>();
  #scheduled = false;

  constructor(windows: ChatWindows, client: () => LiveClient | undefined, failed: (err: unknown) => void) {
    this.#windows = windows;
    this.#client = client;
    this.#failed = failed;
    windows.onRead = (key, ts) => this.#seen(key, ts);
  }

  /** After a login or a reconnect: the realm's markers, before any history is shown. */
  async load(client: LiveClient): Promise<void> {
    const { markers } = await client.request("markers", {});
    for (const m of markers) this.#windows.markRead(m.conversation, m.ts);
  }

  /** A `read` event: this user read a conversation somewhere. */
  moved(marker: LiveReadMarker): void {
    this.#windows.markRead(marker.conversation, marker.ts);
  }

  #seen(key: string, ts: number): void {
    if (!isConversation(key) || ts <= this.#windows.markerOf(key)) return;
    this.#pending.set(key, Math.max(ts, this.#pending.get(key) ?? 0));
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    const client = this.#client();
    const pending = [...this.#pending];
    this.#pending.clear();
    if (client === undefined || client.isClosed) return;
    for (const [conversation, ts] of pending)
      client.request("read", { conversation, ts }).then((marker) => this.moved(marker), this.#failed);
  };
}
