import type { LiveClient } from "./live-client.ts";

/** What the interactive client knows of its user: who is logged in, where, and in which groups. */
export interface ChatState {
  user: string | undefined;
  realm: string | undefined;
  token: string | undefined;
  /** Groups joined (labels as this realm shows them), for rejoining after a reconnect. */
  readonly joined: string[];
  /** Away message, or undefined when here; senders of private messages get it once. */
  away: string | undefined;
  readonly toldAway: Set<string>;
}

/** What the commands need of the session that runs them. */
export interface ChatSessionPort {
  readonly state: ChatState;
  readonly lines: AsyncIterator<string>;
  live(): LiveClient;
  show(key: string, line: string, mention?: boolean): void;
  showPrivate(peer: string, from: string, text: string, ts: number, mention: boolean): void;
  /** Joins a group into its own window; returns the window's key. */
  join(group: string): Promise<string>;
  loggedOut(): void;
  /** The realm's read markers, fetched after a login. */
  loadMarkers(): Promise<void>;
}
