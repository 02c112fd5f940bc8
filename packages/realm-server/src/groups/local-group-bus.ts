import { silentLogger, StorageClosedError, type Logger } from "@realmchat/node-runtime";
import { encodeGroupEvent, labelFor, type GroupRef, type RosterEvent, type RosterMember } from "@realmchat/protocol";
import type { GroupBus, GroupEventFact, GroupEventRelay, GroupHistoryEntry, GroupHistoryStore, GroupRoster, LeaveKind, LocalGroupMember } from "./group-bus.ts";
import { MirrorGroups } from "./mirror-groups.ts";

interface HomeGroup {
  readonly local: Set<LocalGroupMember>;
  /** Members on other realms: realm → usernames. */
  readonly remote: Map<string, Set<string>>;
}

const DONE = Promise.resolve();

/** Group fan-out within one process (see {@link GroupBus}); history of home groups is in the store. */
export class LocalGroupBus implements GroupBus {
  readonly realm: string;
  readonly historySize: number;
  readonly #relay: GroupEventRelay;
  readonly #store: GroupHistoryStore;
  readonly #home = new Map<string, HomeGroup>();
  readonly #mirrors: MirrorGroups;
  readonly #logger: Logger;

  constructor(realm: string, relay: GroupEventRelay, store: GroupHistoryStore, historySize = 50, logger: Logger = silentLogger) {
    this.realm = realm;
    this.#relay = relay;
    this.#store = store;
    this.historySize = historySize;
    this.#mirrors = new MirrorGroups(realm, historySize);
    this.#logger = logger;
  }

  /**
   * The event was delivered live but is missing from the history (the store failed or is closing):
   * logged, not thrown, since nobody could do anything about it but the operator.
   */
  readonly #historyFailed = (err: unknown): void => {
    // Members whose connections end as the realm shuts down leave after its store has closed.
    if (err instanceof StorageClosedError) this.#logger.info("a group event after the store closed was not kept", { error: err.message });
    else this.#logger.error("a group event was not kept in the history", { error: String(err) });
  };

  async history(group: GroupRef): Promise<GroupHistoryEntry[]> {
    if (group.home !== this.realm) return this.#mirrors.history(group);
    if (this.historySize === 0) return [];
    const events = await this.#store.history(group.name, this.historySize);
    return events.map((e) => ({ event: { kind: e.kind, user: e.user, realm: e.realm, ...(e.text === undefined ? {} : { text: e.text }) }, ts: e.ts }));
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

  #publish(name: string, group: HomeGroup, event: GroupEventFact): Promise<void> {
    const ts = Date.now();
    const stored = this.historySize === 0 ? DONE : this.#store.appendHistory(name, { ...event, ts } satisfies RosterEvent, this.historySize).catch(this.#historyFailed);
    if (group.local.size > 0) {
      const line = this.render(event);
      const ref: GroupRef = { name, home: this.realm };
      for (const member of group.local) member.deliverGroupEvent(ref, event, line);
    }
    for (const realm of group.remote.keys()) this.#relay.relayGroupEvent(realm, name, event);
    return stored;
  }

  render(event: GroupEventFact): string {
    const member = labelFor(event.user, event.realm, this.realm);
    return event.kind === "message"
      ? encodeGroupEvent({ kind: "message", member, text: event.text ?? "" })
      : encodeGroupEvent({ kind: event.kind, member });
  }

  join(name: string, member: LocalGroupMember): Promise<void> {
    const group = this.#group(name);
    if (group.local.has(member)) return DONE;
    group.local.add(member);
    return this.#publish(name, group, { kind: "joined", user: member.username, realm: this.realm });
  }

  leave(name: string, member: LocalGroupMember, how: LeaveKind = "left"): Promise<void> {
    const group = this.#home.get(name);
    if (group === undefined || !group.local.delete(member)) return DONE;
    const stored = this.#publish(name, group, { kind: how, user: member.username, realm: this.realm });
    this.#forget(name, group);
    return stored;
  }

  say(name: string, member: LocalGroupMember, text: string): Promise<void> {
    const group = this.#home.get(name);
    if (group === undefined || !group.local.has(member)) return DONE;
    return this.#publish(name, group, { kind: "message", user: member.username, realm: this.realm, text });
  }

  joinRemote(name: string, realm: string, user: string): Promise<void> {
    const group = this.#group(name);
    let users = group.remote.get(realm);
    if (users === undefined) {
      users = new Set();
      group.remote.set(realm, users);
    }
    if (users.has(user)) return DONE;
    users.add(user);
    return this.#publish(name, group, { kind: "joined", user, realm });
  }

  leaveRemote(name: string, realm: string, user: string, how: LeaveKind = "left"): Promise<void> {
    const group = this.#home.get(name);
    const users = group?.remote.get(realm);
    if (group === undefined || users === undefined || !users.delete(user)) return DONE;
    if (users.size === 0) group.remote.delete(realm);
    const stored = this.#publish(name, group, { kind: how, user, realm });
    this.#forget(name, group);
    return stored;
  }

  sayRemote(name: string, realm: string, user: string, text: string): Promise<void> {
    const group = this.#home.get(name);
    if (group?.remote.get(realm)?.has(user) !== true) return DONE;
    return this.#publish(name, group, { kind: "message", user, realm, text });
  }

  dropRealm(realm: string): void {
    for (const [name, group] of [...this.#home]) {
      const users = group.remote.get(realm);
      if (users === undefined) continue;
      group.remote.delete(realm);
      for (const user of users) void this.#publish(name, group, { kind: "left", user, realm });
      this.#forget(name, group);
    }
  }

  evictHome(name: string): { local: LocalGroupMember[]; realms: string[] } {
    const group = this.#home.get(name);
    this.#home.delete(name);
    return { local: [...(group?.local ?? [])], realms: [...(group?.remote.keys() ?? [])] };
  }

  rosterOf(name: string): RosterMember[] {
    const group = this.#home.get(name);
    if (group === undefined) return [];
    const out: RosterMember[] = [...group.local].map((m) => ({ user: m.username, realm: this.realm }));
    for (const [realm, users] of group.remote) for (const user of users) out.push({ user, realm });
    return out;
  }

  members(name: string): string[] {
    return this.rosterOf(name).map((m) => labelFor(m.user, m.realm, this.realm));
  }

  joinMirror(group: GroupRef, member: LocalGroupMember): void {
    this.#mirrors.join(group, member);
  }

  leaveMirror(group: GroupRef, member: LocalGroupMember): void {
    this.#mirrors.leave(group, member);
  }

  setMirrorSnapshot(group: GroupRef, members: readonly RosterMember[], online: readonly RosterMember[], history: readonly RosterEvent[]): void {
    this.#mirrors.setSnapshot(group, members, online, history);
  }

  mirrorRoster(group: GroupRef): GroupRoster | undefined {
    return this.#mirrors.roster(group);
  }

  deliverFromHome(group: GroupRef, event: GroupEventFact): void {
    const members = this.#mirrors.record(group, event);
    if (members === undefined) return;
    const line = this.render(event);
    for (const member of members) member.deliverGroupEvent(group, event, line);
  }

  mirrorMembers(home: string): Array<readonly [string, LocalGroupMember]> {
    return this.#mirrors.membersOf(home);
  }

  mirrors(): GroupRef[] {
    return this.#mirrors.refs();
  }

  evictMirror(group: GroupRef): LocalGroupMember[] {
    return this.#mirrors.evict(group);
  }
}
