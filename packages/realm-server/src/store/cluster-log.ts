import type { FederationFrame, GroupEventKind, GroupRef, LiveEvent } from "@realmchat/protocol";

/** A group event as the group's home states it (the same shape as the group bus's). */
export interface ClusterGroupFact {
  readonly kind: GroupEventKind;
  readonly user: string;
  readonly realm: string;
  readonly text?: string;
}

/**
 * What one instance of a realm tells the others sharing its store, in one order for all
 * (docs/design/scale-out.md). Written and read by the instances only, never sent on any wire.
 */
export type ClusterEvent =
  /** A live event for a user's connections wherever they are. */
  | { readonly t: "push"; readonly username: string; readonly event: LiveEvent }
  /**
   * An event of a group homed on this realm; `instance` is where the member is connected ("" for
   * members on other realms). Every instance delivers it to its own members of the group.
   */
  | { readonly t: "group"; readonly group: string; readonly instance: string; readonly fact: ClusterGroupFact; readonly ts: number }
  /** A frame for the bridge, from an instance that does not hold the link, for the one that does. */
  | { readonly t: "out"; readonly frame: FederationFrame }
  /** A group merged into another (docs/design/federation.md): every instance moves its members of `from` to `to`. */
  | { readonly t: "move"; readonly from: GroupRef; readonly to: GroupRef }
  /** The shared outbox has new messages: the instance holding the link sends them. */
  | { readonly t: "outbox" }
  /** A frame the bridge sent to the link's holder that every instance must see. */
  | { readonly t: "in"; readonly frame: FederationFrame }
  /** Who holds the bridge link now (none: nobody), and which peer realms it reaches. */
  | { readonly t: "link"; readonly holder: string | undefined; readonly peers: readonly string[] }
  /** An instance started: the link's holder tells it what it missed (link state, directories). */
  | { readonly t: "hello" }
  /** An instance stopped or stopped answering; its members of groups have been made to quit. */
  | { readonly t: "gone"; readonly instance: string }
  /** A user was added, changed or removed: every instance forgets what it cached of them (written by the store itself). */
  | { readonly t: "user"; readonly username: string }
  /** A session was ended (logout): every instance forgets it (written by the store itself). */
  | { readonly t: "logout"; readonly hash: string };

export interface ClusterRow {
  readonly position: number;
  readonly instance: string;
  readonly event: ClusterEvent;
}

/** One member's connections in a home group on one instance ("" for members on other realms). */
export interface GroupOnlineRow {
  readonly group: string;
  readonly user: string;
  readonly realm: string;
  readonly instance: string;
  readonly count: number;
}

/**
 * The instances of one realm, through their shared store: an ordered log of events (positions
 * commit in order, so a reader never skips one), who is online in home groups, and which
 * instances are alive.
 */
export interface ClusterLog {
  /**
   * Writes an event; resolves with its position once committed. A `group` event also updates who
   * is online, and is kept in the group's history (the newest `keepHistory`) in the same commit.
   */
  publish(instance: string, event: ClusterEvent, keepHistory?: number): Promise<number>;
  /** Who is online in home groups now, and the position that is as of. */
  snapshot(): Promise<{ readonly position: number; readonly online: readonly GroupOnlineRow[] }>;
  /**
   * Calls `handler` with every event after `position`, in order, until closed; and `pushed` with
   * every push of the other instances (ClusterLog.push), in the order each instance sent them.
   */
  subscribe(after: number, handler: (row: ClusterRow) => void, pushed: (username: string, event: LiveEvent) => void): Promise<void>;
  /**
   * Hands a live event for `username`'s connections to the other instances with this turn's
   * commit, without keeping it: what it announces is in the store before it is pushed, so a lost
   * push costs latency only. One too large to carry so goes in the log as a `push` event.
   */
  push(instance: string, username: string, event: LiveEvent): Promise<void>;
  /** Resolves once `handler` has seen every event up to `position`. */
  readThrough(position: number): Promise<void>;
  /** This instance is alive. */
  heartbeat(instance: string, now: number): Promise<void>;
  /**
   * Instances silent since `before` (or gone without a word) are declared gone: their members quit
   * their groups and a `gone` event is written, each by exactly one caller. Returns their ids.
   */
  reap(before: number, keepHistory: number, reaper: string): Promise<string[]>;
  /** This instance is stopping (its members have quit already). */
  leave(instance: string): Promise<void>;
}
