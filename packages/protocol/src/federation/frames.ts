/**
 * Frames of the inter-realm protocol (docs/protocol.md, "Federation"). Each frame is one JSON
 * object on one `\n`-terminated line. The same frames travel realm ⇄ bridge and bridge ⇄ bridge;
 * `origin` is the realm that created a frame and `to` the realm it is for.
 */

export const FEDERATION_VERSION = 2;

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
}

/** A group event as the home realm of the group states it; each realm renders it for its own members. */
export type GroupEventKind = "joined" | "left" | "message";

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
  | { readonly t: "directory"; readonly realm: string; readonly users: readonly DirectoryUser[]; readonly groups: readonly string[] }
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
  | { readonly t: "gjoin"; readonly id: string; readonly origin: string; readonly to: string; readonly group: string; readonly user: string }
  | { readonly t: "gleave"; readonly id: string; readonly origin: string; readonly to: string; readonly group: string; readonly user: string }
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
      readonly members: readonly RosterMember[];
      readonly history: readonly RosterEvent[];
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
    };

export type FederationFrameType = FederationFrame["t"];
export type FrameOf<T extends FederationFrameType> = Extract<FederationFrame, { t: T }>;

/** Frames that carry an origin realm and an id, and so are subject to echo and duplicate checks. */
export type RoutedFrame = FrameOf<"dm" | "gjoin" | "gleave" | "gsay" | "gevent" | "groster">;

export function isRoutedFrame(frame: FederationFrame): frame is RoutedFrame {
  return frame.t === "dm" || frame.t === "gjoin" || frame.t === "gleave" || frame.t === "gsay" || frame.t === "gevent" || frame.t === "groster";
}

export function encodeFederationFrame(frame: FederationFrame): string {
  return JSON.stringify(frame) + "\n";
}
