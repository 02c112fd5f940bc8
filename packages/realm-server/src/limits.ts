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
  /** Requests per second one connection is served at, and the burst served at once (more waits). */
  readonly requestsPerSecond: number;
  readonly requestBurst: number;
  /** The same for one user over all their connections. */
  readonly userRequestsPerSecond: number;
  readonly userRequestBurst: number;
  /** Group messages per second per user, and the burst (more waits). */
  readonly groupMessagesPerSecond: number;
  readonly groupMessageBurst: number;
  /** Group message text per second per user (characters), and the burst: long lines count for more. */
  readonly groupCharsPerSecond: number;
  readonly groupCharBurst: number;
  /** How long a private message pushed to a live client waits for its `ack` before it is stored (PrivateHandOff). */
  readonly handOffMs: number;
  /** Private messages held in memory at once awaiting their `ack`; more take the commit path. */
  readonly maxHeldMessages: number;
  /** Messages an inbox holds; a sender to a full inbox gets INBOX_FULL. */
  readonly maxInboxMessages: number;
  /** Client connections at once, in all and from one address; more are refused. */
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  /** A line left unfinished this long closes the connection. */
  readonly partialLineTimeoutMs: number;
  /** A connection that has not logged in (nor used a token) this long after connecting is closed. */
  readonly unauthenticatedTimeoutMs: number;
  /** Login back-off (see LoginThrottle). */
  readonly loginFreeFailures: number;
  readonly loginMaxDelayMs: number;
  readonly loginAddressFailures: number;
  readonly loginAddressBlockMs: number;
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
  remoteAnswerMs: 500,
  requestsPerSecond: 500,
  requestBurst: 1000,
  userRequestsPerSecond: 1000,
  userRequestBurst: 2000,
  groupMessagesPerSecond: 50,
  groupMessageBurst: 200,
  groupCharsPerSecond: 16_000,
  groupCharBurst: 64_000,
  handOffMs: 100,
  maxHeldMessages: 100_000,
  maxInboxMessages: 10_000,
  maxConnections: 20_000,
  maxConnectionsPerAddress: 1000,
  partialLineTimeoutMs: 30_000,
  unauthenticatedTimeoutMs: 120_000,
  loginFreeFailures: 5,
  loginMaxDelayMs: 4000,
  loginAddressFailures: 30,
  loginAddressBlockMs: 60_000,
  inboxPageMessages: 1000,
  inboxPageChars: 128 * 1024,
};
