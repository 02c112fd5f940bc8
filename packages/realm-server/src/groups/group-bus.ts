import type { GroupEventKind, GroupRef, RosterEvent, RosterMember } from "@realmchat/protocol";

/** A group event as its home realm states it; each realm renders the member's name for its own users. */
export interface GroupEventFact {
  readonly kind: GroupEventKind;
  readonly user: string;
  readonly realm: string;
  readonly text?: string;
}

/** A client of this realm in a group: classic connections show `line`, live ones the event. */
export interface LocalGroupMember {
  readonly username: string;
  deliverGroupEvent(group: GroupRef, event: GroupEventFact, line: string): void;
  /** Something about the group itself, such as its home realm becoming unreachable. */
  deliverGroupNotice(group: string, text: string): void;
}

/** A group event as kept in a group's recent history. */
export interface GroupHistoryEntry {
  readonly event: GroupEventFact;
  readonly ts: number;
}

/** Carries events to members on other realms: called once per realm per event, not per member. */
export interface GroupEventRelay {
  relayGroupEvent(toRealm: string, group: string, event: GroupEventFact): void;
}

/**
 * Group fan-out and rosters: who is in which group right now, and delivering each event to them.
 * A group homed on this realm has local and remote members; a "mirror" holds this realm's members
 * of a group homed elsewhere, fed by that realm's events (docs/protocol.md, "Groups across
 * realms"). With several instances of one realm this is what they must share.
 */
export interface GroupBus {
  /** The last events of a group, oldest first. */
  history(group: GroupRef): readonly GroupHistoryEntry[];
  /** The classic line for an event, names as this realm's users see them. */
  render(event: GroupEventFact): string;

  join(name: string, member: LocalGroupMember): void;
  leave(name: string, member: LocalGroupMember): void;
  say(name: string, member: LocalGroupMember, text: string): void;
  joinRemote(name: string, realm: string, user: string): void;
  leaveRemote(name: string, realm: string, user: string): void;
  sayRemote(name: string, realm: string, user: string, text: string): void;
  /** A realm became unreachable: its members leave every group homed here, and the others are told. */
  dropRealm(realm: string): void;
  /** Labels of a home group's members, local first. */
  members(name: string): string[];
  /** Everyone in a group homed here, as the roster sent to other realms. */
  rosterOf(name: string): RosterMember[];

  joinMirror(group: GroupRef, member: LocalGroupMember): void;
  leaveMirror(group: GroupRef, member: LocalGroupMember): void;
  /** The home realm's answer to a join: who is in the group and its recent history. */
  setMirrorSnapshot(group: GroupRef, members: readonly RosterMember[], history: readonly RosterEvent[]): void;
  /** Labels of everyone in a group homed elsewhere, if someone here follows it. */
  mirrorRoster(group: GroupRef): string[] | undefined;
  /** An event from a group's home realm, for this realm's members of it. */
  deliverFromHome(group: GroupRef, event: GroupEventFact): void;
  /** This realm's members of groups homed on `home`, as [group, member] pairs. */
  mirrorMembers(home: string): Array<readonly [string, LocalGroupMember]>;
}
