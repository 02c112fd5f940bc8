import { DedupWindow, type AckResult, type FrameOf } from "@realmchat/protocol";
import type { FederationLink } from "@realmchat/node-runtime";
import type { PeerConfig } from "./bridge-config.ts";
import type { PeerOutbox } from "./peer-outbox.ts";

/** How many message ids per peer are remembered to answer repeats and drop duplicates. */
const SEEN_IDS = 200_000;

/** What a bridge knows of one peer realm. */
export interface PeerState {
  readonly config: PeerConfig;
  link: FederationLink | undefined;
  /** When the link last came up or went down (or the peer was taken on), ms since the epoch. */
  changedAt: number;
  /** Whether the peer's own realm server is linked to it, as the peer last said. */
  realmUp: boolean;
  readonly outbox: PeerOutbox;
  directory: FrameOf<"directory"> | undefined;
  /** Ids of private messages from this peer: being stored by our realm, or the answer it gave. */
  readonly inbound: DedupWindow<"pending" | AckResult>;
  readonly seenGroupFrames: DedupWindow;
}

export function createPeerState(config: PeerConfig, outbox: PeerOutbox, directory: FrameOf<"directory"> | undefined): PeerState {
  return {
    config,
    link: undefined,
    changedAt: Date.now(),
    realmUp: true,
    outbox,
    directory,
    inbound: new DedupWindow(SEEN_IDS),
    seenGroupFrames: new DedupWindow(SEEN_IDS),
  };
}
