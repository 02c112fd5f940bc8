import { encodeGroupEvent, formatAddress, formatGroupRef, labelFor, type GroupRef, type RosterEvent, type RosterMember } from "@realmchat/protocol";
import type { GroupBus, GroupEventFact, GroupEventRelay, GroupHistoryEntry, LocalGroupMember } from "./group-bus.ts";

interface HomeGroup {
  readonly local: Set<LocalGroupMember>;
  /** Members on other realms: realm → usernames. */
  readonly remote: Map<string, Set<string>>;
}

/** Group fan-out within one process (see {@link GroupBus}). */
export class LocalGroupBus implements GroupBus {
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

  /** History is keyed by name for groups homed here, by `name@home` for mirrors. */
  #key(group: GroupRef): string {
    return group.home === this.realm ? group.name : formatGroupRef(group);
  }

  history(group: GroupRef): readonly GroupHistoryEntry[] {
    return this.#history.get(this.#key(group)) ?? [];
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
      const ref: GroupRef = { name, home: this.realm };
      for (const member of group.local) member.deliverGroupEvent(ref, event, line);
    }
    for (const realm of group.remote.keys()) this.#relay.relayGroupEvent(realm, name, event);
  }

  render(event: GroupEventFact): string {
    const member = labelFor(event.user, event.realm, this.realm);
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

  dropRealm(realm: string): void {
    for (const [name, group] of [...this.#home]) {
      const users = group.remote.get(realm);
      if (users === undefined) continue;
      group.remote.delete(realm);
      for (const user of users) this.#publish(name, group, { kind: "left", user, realm });
      this.#forget(name, group);
    }
  }

  joinMirror({ name, home }: GroupRef, member: LocalGroupMember): void {
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

  leaveMirror({ name, home }: GroupRef, member: LocalGroupMember): void {
    const groups = this.#mirrors.get(home);
    const members = groups?.get(name);
    if (groups === undefined || members === undefined || !members.delete(member)) return;
    if (members.size === 0) {
      groups.delete(name);
      // Nobody here follows the group any more: its roster would go stale.
      this.#rosters.delete(formatGroupRef({ name, home }));
    }
    if (groups.size === 0) this.#mirrors.delete(home);
  }

  setMirrorSnapshot(group: GroupRef, members: readonly RosterMember[], history: readonly RosterEvent[]): void {
    const key = formatGroupRef(group);
    this.#rosters.set(key, new Map(members.map((m) => [formatAddress(m.user, m.realm), m])));
    this.#history.set(
      key,
      history.slice(-this.historySize).map((h) => ({ event: { kind: h.kind, user: h.user, realm: h.realm, ...(h.text === undefined ? {} : { text: h.text }) }, ts: h.ts })),
    );
  }

  mirrorRoster(group: GroupRef): string[] | undefined {
    const roster = this.#rosters.get(formatGroupRef(group));
    return roster === undefined ? undefined : [...roster.values()].map((m) => labelFor(m.user, m.realm, this.realm));
  }

  rosterOf(name: string): RosterMember[] {
    const group = this.#home.get(name);
    if (group === undefined) return [];
    const out: RosterMember[] = [...group.local].map((m) => ({ user: m.username, realm: this.realm }));
    for (const [realm, users] of group.remote) for (const user of users) out.push({ user, realm });
    return out;
  }

  deliverFromHome(group: GroupRef, event: GroupEventFact): void {
    const members = this.#mirrors.get(group.home)?.get(group.name);
    if (members === undefined) return;
    const key = formatGroupRef(group);
    this.#remember(key, event);
    const roster = this.#rosters.get(key);
    const who = formatAddress(event.user, event.realm);
    if (roster !== undefined && event.kind === "joined") roster.set(who, { user: event.user, realm: event.realm });
    if (roster !== undefined && event.kind === "left") roster.delete(who);
    const line = this.render(event);
    for (const member of members) member.deliverGroupEvent(group, event, line);
  }

  mirrorMembers(home: string): Array<readonly [string, LocalGroupMember]> {
    const out: Array<readonly [string, LocalGroupMember]> = [];
    for (const [name, members] of this.#mirrors.get(home) ?? []) for (const m of members) out.push([name, m]);
    return out;
  }

  members(name: string): string[] {
    const group = this.#home.get(name);
    if (group === undefined) return [];
    const labels = [...group.local].map((m) => m.username);
    for (const [realm, users] of group.remote) for (const user of users) labels.push(labelFor(user, realm, this.realm));
    return labels;
  }
}
