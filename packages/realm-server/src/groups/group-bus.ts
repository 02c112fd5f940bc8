import type { Handled } from "@realmchat/node-runtime";
import type { GroupRef, RosterEvent, RosterMember } from "@realmchat/protocol";
import type { GroupStore } from "../store/realm-store.ts";
import type { GroupEventFact, RenderedGroupEvent } from "./group-event.ts";

/** A client of this realm in a group: each is shown an event in its protocol's rendering. */
export interface LocalGroupMember {
  readonly username: string;
  deliverGroupEvent(event: RenderedGroupEvent): void;
  /** Something about the group itself, such as its home realm becoming unreachable. */
  deliverGroupNotice(group: string, text: string): void;
  /**
   * The group `from` merged into `to` (one group per name, docs/design/federation.md): the member
   * now belongs to `to`; it tells its client in one line. It is put into `to`'s fan-out for it.
   */
  moveGroup(from: GroupRef, to: GroupRef, text: string): void;
}

/** A group event as kept in a group's recent history. */
export interface GroupHistoryEntry {
  readonly event: GroupEventFact;
  readonly ts: number;
}

/** Carries events to members on other realms: called once per realm per event, not per member. */
export interface GroupEventRelay {
  relayGroupEvent(toRealm: string, group: string, event: GroupEventFact, ts: number): void;
}

/**
 * Group fan-out and rosters: who is in which group right now, and delivering each event to them.
 * A group homed on this realm has local and remote members; a "mirror" holds this realm's members
 * of a group homed elsewhere, fed by that realm's events (docs/protocol.md, "Groups across
 * realms"). With several instances of one realm this is what they must share.
 */
/** How a member goes: it left the group, or its connection ended (docs/protocol.md, "Classic group mode"). */
export type LeaveKind = "left" | "quit";

/**
 * Events kept per group homed here, for paging back (`history` before an event id); a join shows
 * the newest `groupHistory` of them. Older ones are dropped.
 */
export const GROUP_HISTORY_KEPT = 10_000;

/** Where a bus keeps the recent events of groups homed here: the realm's store. */
export type GroupHistoryStore = Pick<GroupStore, "appendHistory" | "history">;

/** Everyone in a group, and who of them is in it now, as labels seen from this realm. */
export interface GroupRoster {
  readonly members: readonly string[];
  readonly online: readonly string[];
}

export interface GroupBus {
  /** The last events of a group, oldest first (a group homed here: from the store). */
  history(group: GroupRef): Promise<GroupHistoryEntry[]>;
  // A group homed here. Each event is in the store's history once the promise resolves; a failure
  // to keep it there is logged by the bus (history is not worth failing a chat line for).
  join(name: string, member: LocalGroupMember): Handled;
  /** `quit`: the member's connection ended; `left`: the member left the group. */
  leave(name: string, member: LocalGroupMember, how?: LeaveKind): Handled;
  say(name: string, member: LocalGroupMember, text: string): Handled;
  joinRemote(name: string, realm: string, user: string): Handled;
  leaveRemote(name: string, realm: string, user: string, how?: LeaveKind): Handled;
  sayRemote(name: string, realm: string, user: string, text: string): Handled;
  /** A realm became unreachable: its members leave every group homed here, and the others are told. */
  dropRealm(realm: string): void;
  /** Labels of a home group's members in it now, local first. */
  members(name: string): string[];
  /** Everyone in a group homed here now, as the roster sent to other realms. */
  rosterOf(name: string): RosterMember[];
  /** The group merged away: it leaves the bus silently; returns its local members and the realms of the others. */
  evictHome(name: string): { readonly local: LocalGroupMember[]; readonly realms: string[] };

  joinMirror(group: GroupRef, member: LocalGroupMember): void;
  leaveMirror(group: GroupRef, member: LocalGroupMember): void;
  /**
   * The home realm's answer to a join: who is in the group and its recent history. Events in it
   * that this realm's members missed (said while the home was unreachable) are handed to them.
   */
  setMirrorSnapshot(
    group: GroupRef,
    members: readonly RosterMember[],
    online: readonly RosterMember[],
    history: readonly RosterEvent[],
  ): void;
  /** Who is in a group homed elsewhere, if someone here follows it. */
  mirrorRoster(group: GroupRef): GroupRoster | undefined;
  /** An event from a group's home realm, for this realm's members of it. */
  deliverFromHome(group: GroupRef, event: GroupEventFact, ts?: number): void;
  /** This realm's members of groups homed on `home`, as [group, member] pairs. */
  mirrorMembers(home: string): Array<readonly [string, LocalGroupMember]>;
  /** Names of the groups homed elsewhere that someone here is in, with their homes. */
  mirrors(): GroupRef[];
  /** The group moved or is gone: this realm's members of it leave its mirror silently; returns them. */
  evictMirror(group: GroupRef): LocalGroupMember[];
}
