import { DEFAULT_MAX_FRAME_BYTES } from "@realmchat/protocol";

export interface RealmLimits {
  /** Largest request line, in bytes; a longer one closes the connection. */
  readonly maxFrameBytes: number;
  /** Requests a client may have waiting before its socket stops being read. */
  readonly maxPendingRequests: number;
  /** Unread output above which a client's next request waits (back-pressure). */
  readonly outputHighWaterBytes: number;
  /** Unread output above which events are no longer pushed to a client (it is told once it catches up). */
  readonly maxOutboundBytes: number;
  /** A client with unread output that reads nothing for this long is disconnected. */
  readonly slowReaderTimeoutMs: number;
  /** Pause around the bare `exit` marker so it arrives in a read of its own (seed quirk). */
  readonly groupExitPauseMs: number;
  /** Recent events kept per group and shown to a live client when it joins. */
  readonly groupHistory: number;
  /** A sender whose message another realm has not answered within this time hears "queued". */
  readonly remoteAnswerMs: number;
  /** Most messages in one classic `inbox` reply; the rest waits for the next `inbox`. */
  readonly inboxPageMessages: number;
  /** Most message text (characters) in one classic `inbox` reply. */
  readonly inboxPageChars: number;
}

export const DEFAULT_LIMITS: RealmLimits = {
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  maxPendingRequests: 256,
  outputHighWaterBytes: 256 * 1024,
  maxOutboundBytes: 1024 * 1024,
  slowReaderTimeoutMs: 60_000,
  groupExitPauseMs: 50,
  groupHistory: 50,
  remoteAnswerMs: 2000,
  inboxPageMessages: 1000,
  inboxPageChars: 128 * 1024,
};
