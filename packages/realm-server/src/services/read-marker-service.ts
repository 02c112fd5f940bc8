import type { LiveReadMarker } from "@realmchat/protocol";
import type { ReadMarkerStore } from "../store/realm-store.ts";

/** Who hears that a user's marker moved: that user's live connections, on any instance. */
export interface ReadMarkerListener {
  readMarkerMoved(username: string, marker: LiveReadMarker): void;
}

/**
 * Read markers (docs/protocol.md, "Read markers"): where each user has read each conversation up
 * to, kept by the realm so that every client of the user shows the same unread lines.
 */
export class ReadMarkerService {
  readonly #store: ReadMarkerStore;
  readonly #listener: ReadMarkerListener;

  constructor(store: ReadMarkerStore, listener: ReadMarkerListener) {
    this.#store = store;
    this.#listener = listener;
  }

  /** Moves `username`'s marker of a conversation forward (never back) and tells their connections. */
  async read(username: string, conversation: string, ts: number): Promise<LiveReadMarker> {
    const marker = await this.#store.set(username, conversation, ts);
    this.#listener.readMarkerMoved(username, marker);
    return marker;
  }

  list(username: string): Promise<readonly LiveReadMarker[]> {
    return this.#store.list(username);
  }
}
