/**
 * Frames of the inter-realm protocol (docs/protocol.md, "Federation"). Each frame is one JSON
 * object on one `\n`-terminated line. The same frames travel realm ⇄ bridge and bridge ⇄ bridge;
 * `origin` is the realm that created a frame and `to` the realm it is for.
 */

export const FEDERATION_VERSION = 3;

/** Most private messages one `batch` frame carries. */
export const MAX_BATCH_ITEMS = 512;

/** A user as the directory of its realm lists it. */
export interface DirectoryUser {
  readonly user: string;
  readonly name: string;
}

/** One private message inside a `batch` (origin and destination are the batch's). */
export interface BatchItem {
  readonly id: string;
  readonly from: string;
  readonly fromName: string;
  readonly user: string;
  readonly text: string;
  readonly sentAt: number;
}

/** The outcome of one private message, inside `acks`. */
export interface AckResult {
  readonly id: string;
  readonly status: "stored" | "rejected";
  readonly code?: string;
  readonly message?: string;
}

/** A group as the directory of its home realm lists it; `created` orders claims to one name (group-precedence.ts). */
export interface DirectoryGroup {
  readonly name: string;
  /** When the home realm created it, in milliseconds since the epoch. */
  readonly created: number;
}

/** A member of a group, wherever they live. */
export interface RosterMember {
  readonly user: string;
  readonly realm: string;
}

/** A past event of a group, as its home realm kept it. */
export interface RosterEvent {
  readonly kind: GroupEventKind;
  readonly user: string;
  readonly realm: string;
  readonly text?: string;
  readonly ts: number;
  /** The event's id, given by the home realm: older history is paged before it. */
  readonly eid?: string;
}

/**
 * A group event as the home realm of the group states it; each realm renders it for its own
 * members. `left`: the member left the group; `quit`: the member's connection ended.
 */
export const GROUP_EVENT_KINDS = ["joined", "left", "quit", "message"] as const;
export type GroupEventKind = (typeof GROUP_EVENT_KINDS)[number];

export type FederationFrame =
  // Handshake (docs/protocol.md, "Link handshake").
  | { readonly t: "hello"; readonly v: number; readonly realm: string; readonly nonce: string }
  | { readonly t: "challenge"; readonly realm: string; readonly nonce: string }
  | { readonly t: "prove"; readonly proof: string }
  | { readonly t: "welcome"; readonly proof: string }
  | { readonly t: "refused"; readonly reason: string }
  // Liveness.
  | { readonly t: "ping"; readonly ts: number }
  | { readonly t: "pong"; readonly ts: number }
  // Directories: a full snapshot of one realm's users and groups.
  | {
      readonly t: "directory";
      readonly realm: string;
      readonly users: readonly DirectoryUser[];
      readonly groups: readonly DirectoryGroup[];
    }
  // Bridge → its realm: whether a peer realm is reachable now.
  | { readonly t: "peer"; readonly realm: string; readonly up: boolean }
  // Private messages and their acknowledgements.
  | {
      readonly t: "dm";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly from: string;
      readonly fromName: string;
      readonly user: string;
      readonly text: string;
      readonly sentAt: number;
    }
  | {
      readonly t: "ack";
      readonly id: string;
      /** The realm whose message is acknowledged (the dm's origin). */
      readonly origin: string;
      readonly status: "stored" | "queued" | "rejected";
      readonly code?: string;
      readonly message?: string;
    }
  // Many private messages at once, answered by one `acks` (bridge ⇄ bridge, bridge → realm).
  | { readonly t: "batch"; readonly origin: string; readonly to: string; readonly items: readonly BatchItem[] }
  | { readonly t: "acks"; readonly origin: string; readonly results: readonly AckResult[] }
  // Bridge → its realm: a message of this realm could not be delivered before it expired.
  | {
      readonly t: "undelivered";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly from: string;
      readonly user: string;
      readonly text: string;
      readonly sentAt: number;
      readonly reason: string;
    }
  // Groups: members on other realms talk to the group's home realm, which fans events out.
  | {
      readonly t: "gjoin";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly group: string;
      readonly user: string;
    }
  | {
      readonly t: "gleave";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly group: string;
      readonly user: string;
      /** The user left for good (not only went offline): the home forgets the membership. */
      readonly forget?: boolean;
      /** The user's connection ended (shown as `quit`, not `left`). */
      readonly quit?: boolean;
    }
  // A member's realm asks the home who is in a group; answered by `groster`.
  // With `before`: a page of older history (at most `limit` events before that event id), answered by a `groster` with `before`.
  | {
      readonly t: "gwho";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly group: string;
      readonly user: string;
      readonly before?: string;
      readonly limit?: number;
    }
  // Where does a group live? Asked of the realm an address names; answered by `gwhere`.
  | { readonly t: "gfind"; readonly id: string; readonly origin: string; readonly to: string; readonly group: string }
  | {
      readonly t: "gwhere";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly group: string;
      /** Where the group lives now (the answering realm, or the one it merged into); absent: no such group. */
      readonly home?: string;
      /** A `gsay` that came here for a group that lives elsewhere, handed back to be sent again to `home`. */
      readonly user?: string;
      readonly text?: string;
    }
  // Two groups of one name met: the later one's members and history go to the earlier one.
  | {
      readonly t: "gmerge";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly group: string;
      readonly created: number;
      readonly members: readonly RosterMember[];
      readonly history: readonly RosterEvent[];
    }
  | { readonly t: "gmerged"; readonly id: string; readonly origin: string; readonly to: string; readonly group: string }
  | {
      readonly t: "gsay";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly group: string;
      readonly user: string;
      readonly text: string;
    }
  | {
      readonly t: "groster";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly group: string;
      /** Everyone who joined and has not left for good. */
      readonly members: readonly RosterMember[];
      /** Who of them is in the group now. */
      readonly online: readonly RosterMember[];
      readonly history: readonly RosterEvent[];
      /** Answers a `gwho` for older history: `history` is the page before this event id; `more`: older ones remain. */
      readonly before?: string;
      readonly more?: boolean;
    }
  | {
      readonly t: "gevent";
      readonly id: string;
      readonly origin: string;
      readonly to: string;
      readonly group: string;
      readonly kind: GroupEventKind;
      readonly user: string;
      readonly realm: string;
      readonly text?: string;
      /** The event's id and time, as the home keeps it in the group's history. */
      readonly eid?: string;
      readonly ts?: number;
    };

export type FederationFrameType = FederationFrame["t"];
export type FrameOf<T extends FederationFrameType> = Extract<FederationFrame, { t: T }>;

/** Frames that carry an origin realm and an id, and so are subject to echo and duplicate checks. */
export type RoutedFrame = FrameOf<"dm" | GroupFrameType>;

/** Group frames: best effort, passed on by the bridges while the destination is reachable. */
export const GROUP_FRAME_TYPES = ["gjoin", "gleave", "gsay", "gevent", "groster", "gwho", "gfind", "gwhere", "gmerge", "gmerged"] as const;
export type GroupFrameType = (typeof GROUP_FRAME_TYPES)[number];

const GROUP_FRAMES: ReadonlySet<string> = new Set(GROUP_FRAME_TYPES);

export function isGroupFrame(frame: FederationFrame): frame is FrameOf<GroupFrameType> {
  return GROUP_FRAMES.has(frame.t);
}

export function isRoutedFrame(frame: FederationFrame): frame is RoutedFrame {
  return frame.t === "dm" || GROUP_FRAMES.has(frame.t);
}

export function encodeFederationFrame(frame: FederationFrame): string {
  return JSON.stringify(frame) + "\n";
}
