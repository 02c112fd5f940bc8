import { encodeGroupEvent, type GroupEventKind, type RosterEvent, type RosterMember } from "@realmchat/protocol";

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
  deliverGroupEvent(group: string, home: string, event: GroupEventFact, line: string): void;
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

interface HomeGroup {
  readonly local: Set<LocalGroupMember>;
  /** Members on other realms: realm → usernames. */
  readonly remote: Map<string, Set<string>>;
}

/**
 * Who is in which group right now, and fan-out. Groups homed here have local and remote members;
 * a "mirror" holds the local members of a group homed on another realm, fed by that realm's
 * events (docs/protocol.md, "Groups across realms").
 */
export class GroupHub {
  readonly realm: string;
  readonly historySize: number;
  readonly #relay: GroupEventRelay;
  /** Recent events per group (home groups by name, mirrors by `name@home`). */
  readonly #history = new Map<string, GroupHistoryEntry[]>();
  readonly #home = new Map<string, HomeGroup>();
  readonly #mirrors = new Map<string, Map<string, Set<LocalGroupMember>>>();
  /** Everyone in a group homed elsewhere (`name@home` → `user@realm` → member), from its home's roster and events. */
  readonly #rosters = new Map<string, Map<string, RosterMember>>();

  constructor(realm: string, relay: GroupEventRelay, historySize = 50) {
    this.realm = realm;
    this.#relay = relay;
    this.historySize = historySize;
  }

  #remember(key: string, event: GroupEventFact): void {
    if (this.historySize === 0) return;
    let list = this.#history.get(key);
    if (list === undefined) {
      list = [];
      this.#history.set(key, list);
    }
    list.push({ event, ts: Date.now() });
    if (list.length > this.historySize) list.shift();
  }

  /** The last events of a group, oldest first (`home` for a group homed on another realm). */
  history(name: string, home?: string): readonly GroupHistoryEntry[] {
    return this.#history.get(home === undefined ? name : `${name}@${home}`) ?? [];
  }

  /** How a member is shown to this realm's users: bare if local, `user@realm` otherwise. */
  labelOf(user: string, realm: string): string {
    return realm === this.realm ? user : `${user}@${realm}`;
  }

  #group(name: string): HomeGroup {
    let group = this.#home.get(name);
    if (group === undefined) {
      group = { local: new Set(), remote: new Map() };
      this.#home.set(name, group);
    }
    return group;
  }

  #forget(name: string, group: HomeGroup): void {
    if (group.local.size === 0 && group.remote.size === 0) this.#home.delete(name);
  }

  #publish(name: string, group: HomeGroup, event: GroupEventFact): void {
    this.#remember(name, event);
    if (group.local.size > 0) {
      const line = this.render(event);
      for (const member of group.local) member.deliverGroupEvent(name, this.realm, event, line);
    }
    for (const realm of group.remote.keys()) this.#relay.relayGroupEvent(realm, name, event);
  }

  /** The classic line for an event, names as this realm's users see them. */
  render(event: GroupEventFact): string {
    const member = this.labelOf(event.user, event.realm);
    return event.kind === "message"
      ? encodeGroupEvent({ kind: "message", member, text: event.text ?? "" })
      : encodeGroupEvent({ kind: event.kind, member });
  }

  join(name: string, member: LocalGroupMember): void {
    const group = this.#group(name);
    group.local.add(member);
    this.#publish(name, group, { kind: "joined", user: member.username, realm: this.realm });
  }

  leave(name: string, member: LocalGroupMember): void {
    const group = this.#home.get(name);
    if (group === undefined || !group.local.delete(member)) return;
    this.#publish(name, group, { kind: "left", user: member.username, realm: this.realm });
    this.#forget(name, group);
  }

  say(name: string, member: LocalGroupMember, text: string): void {
    const group = this.#home.get(name);
    if (group !== undefined && group.local.has(member)) {
      this.#publish(name, group, { kind: "message", user: member.username, realm: this.realm, text });
    }
  }

  joinRemote(name: string, realm: string, user: string): void {
    const group = this.#group(name);
    let users = group.remote.get(realm);
    if (users === undefined) {
      users = new Set();
      group.remote.set(realm, users);
    }
    if (users.has(user)) return;
    users.add(user);
    this.#publish(name, group, { kind: "joined", user, realm });
  }

  leaveRemote(name: string, realm: string, user: string): void {
    const group = this.#home.get(name);
    const users = group?.remote.get(realm);
    if (group === undefined || users === undefined || !users.delete(user)) return;
    if (users.size === 0) group.remote.delete(realm);
    this.#publish(name, group, { kind: "left", user, realm });
    this.#forget(name, group);
  }

  sayRemote(name: string, realm: string, user: string, text: string): void {
    const group = this.#home.get(name);
    if (group?.remote.get(realm)?.has(user) === true) this.#publish(name, group, { kind: "message", user, realm, text });
  }

  /** A realm became unreachable: its members leave every group homed here, and the others are told. */
  dropRealm(realm: string): void {
    for (const [name, group] of [...this.#home]) {
      const users = group.remote.get(realm);
      if (users === undefined) continue;
      group.remote.delete(realm);
      for (const user of users) this.#publish(name, group, { kind: "left", user, realm });
      this.#forget(name, group);
    }
  }

  joinMirror(home: string, name: string, member: LocalGroupMember): void {
    let groups = this.#mirrors.get(home);
    if (groups === undefined) {
      groups = new Map();
      this.#mirrors.set(home, groups);
    }
    let members = groups.get(name);
    if (members === undefined) {
      members = new Set();
      groups.set(name, members);
    }
    members.add(member);
  }

  leaveMirror(home: string, name: string, member: LocalGroupMember): void {
    const groups = this.#mirrors.get(home);
    const members = groups?.get(name);
    if (groups === undefined || members === undefined || !members.delete(member)) return;
    if (members.size === 0) {
      groups.delete(name);
      // Nobody here follows the group any more: its roster would go stale.
      this.#rosters.delete(`${name}@${home}`);
    }
    if (groups.size === 0) this.#mirrors.delete(home);
  }

  /** The home realm's answer to a join: who is in the group and its recent history. */
  setMirrorSnapshot(home: string, name: string, members: readonly RosterMember[], history: readonly RosterEvent[]): void {
    const key = `${name}@${home}`;
    this.#rosters.set(key, new Map(members.map((m) => [`${m.user}@${m.realm}`, m])));
    this.#history.set(
      key,
      history.slice(-this.historySize).map((h) => ({ event: { kind: h.kind, user: h.user, realm: h.realm, ...(h.text === undefined ? {} : { text: h.text }) }, ts: h.ts })),
    );
  }

  /** Labels of everyone in a group homed elsewhere, if someone here follows it. */
  mirrorRoster(home: string, name: string): string[] | undefined {
    const roster = this.#rosters.get(`${name}@${home}`);
    return roster === undefined ? undefined : [...roster.values()].map((m) => this.labelOf(m.user, m.realm));
  }

  /** Everyone in a group homed here, as the roster sent to other realms. */
  rosterOf(name: string): RosterMember[] {
    const group = this.#home.get(name);
    if (group === undefined) return [];
    const out: RosterMember[] = [...group.local].map((m) => ({ user: m.username, realm: this.realm }));
    for (const [realm, users] of group.remote) for (const user of users) out.push({ user, realm });
    return out;
  }

  /** An event from a group's home realm, for this realm's members of it. */
  deliverFromHome(home: string, name: string, event: GroupEventFact): void {
    const members = this.#mirrors.get(home)?.get(name);
    if (members === undefined) return;
    const key = `${name}@${home}`;
    this.#remember(key, event);
    const roster = this.#rosters.get(key);
    if (roster !== undefined && event.kind === "joined") roster.set(`${event.user}@${event.realm}`, { user: event.user, realm: event.realm });
    if (roster !== undefined && event.kind === "left") roster.delete(`${event.user}@${event.realm}`);
    const line = this.render(event);
    for (const member of members) member.deliverGroupEvent(name, home, event, line);
  }

  /** This realm's members of groups homed on `home`, as [group, member] pairs. */
  mirrorMembers(home: string): Array<readonly [string, LocalGroupMember]> {
    const out: Array<readonly [string, LocalGroupMember]> = [];
    for (const [name, members] of this.#mirrors.get(home) ?? []) for (const m of members) out.push([name, m]);
    return out;
  }

  /** Labels of a home group's members, local first. */
  members(name: string): string[] {
    const group = this.#home.get(name);
    if (group === undefined) return [];
    const labels = [...group.local].map((m) => m.username);
    for (const [realm, users] of group.remote) for (const user of users) labels.push(this.labelOf(user, realm));
    return labels;
  }
}
