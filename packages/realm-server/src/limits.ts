import { DEFAULT_MAX_FRAME_BYTES } from "@realmchat/protocol";

export interface RealmLimits {
  /** Largest request line, in bytes; a longer one closes the connection. */
  readonly maxFrameBytes: number;
  /** Requests a client may have waiting before its socket stops being read. */
  readonly maxPendingRequests: number;
  /** Output a client may leave unread before it is disconnected. */
  readonly maxOutboundBytes: number;
  /** Pause around the bare `exit` marker so it arrives in a read of its own (seed quirk). */
  readonly groupExitPauseMs: number;
  /** Recent events kept per group and shown to a live client when it joins. */
  readonly groupHistory: number;
}

export const DEFAULT_LIMITS: RealmLimits = {
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  maxPendingRequests: 256,
  maxOutboundBytes: 8 * 1024 * 1024,
  groupExitPauseMs: 50,
  groupHistory: 50,
};
