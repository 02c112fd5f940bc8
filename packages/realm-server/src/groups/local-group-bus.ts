import { handled, HANDLED_DONE, silentLogger, type Handled, type Logger } from "@realmchat/node-runtime";
import { labelFor, type RosterEvent, type RosterMember } from "@realmchat/protocol";
import type { GroupBus, GroupEventRelay, GroupHistoryStore, LeaveKind, LocalGroupMember } from "./group-bus.ts";
import { GroupBusBase } from "./group-bus-base.ts";
import { newEventId } from "../message-id.ts";
import { type GroupEventFact, RenderedGroupEvent } from "./group-event.ts";

interface HomeGroup {
  readonly local: Set<LocalGroupMember>;
  /** Members on other realms: realm → usernames. */
  readonly remote: Map<string, Set<string>>;
}

/** Group fan-out within one process (see {@link GroupBus}); history of home groups is in the store. */
export class LocalGroupBus extends GroupBusBase implements GroupBus {
  readonly #relay: GroupEventRelay;
  readonly #home = new Map<string, HomeGroup>();

  constructor(realm: string, relay: GroupEventRelay, store: GroupHistoryStore, historySize = 50, logger: Logger = silentLogger) {
    super(realm, store, historySize, logger);
    this.#relay = relay;
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

  #publish(name: string, group: HomeGroup, stated: GroupEventFact): Handled {
    const ts = Date.now();
    const event: GroupEventFact = { ...stated, eid: newEventId() };
    const stored =
      this.historySize === 0
        ? HANDLED_DONE
        : handled(this.store.appendHistory(name, { ...event, ts } satisfies RosterEvent, this.historyKept), this.historyFailed);
    if (group.local.size > 0) {
      const rendered = new RenderedGroupEvent({ name, home: this.realm }, event, this.realm, ts);
      for (const member of group.local) member.deliverGroupEvent(rendered);
    }
    for (const realm of group.remote.keys()) this.#relay.relayGroupEvent(realm, name, event, ts);
    return stored;
  }

  join(name: string, member: LocalGroupMember): Handled {
    const group = this.#group(name);
    if (group.local.has(member)) return HANDLED_DONE;
    group.local.add(member);
    return this.#publish(name, group, { kind: "joined", user: member.username, realm: this.realm });
  }

  leave(name: string, member: LocalGroupMember, how: LeaveKind = "left"): Handled {
    const group = this.#home.get(name);
    if (group === undefined || !group.local.delete(member)) return HANDLED_DONE;
    const stored = this.#publish(name, group, { kind: how, user: member.username, realm: this.realm });
    this.#forget(name, group);
    return stored;
  }

  say(name: string, member: LocalGroupMember, text: string): Handled {
    const group = this.#home.get(name);
    if (group === undefined || !group.local.has(member)) return HANDLED_DONE;
    return this.#publish(name, group, { kind: "message", user: member.username, realm: this.realm, text });
  }

  joinRemote(name: string, realm: string, user: string): Handled {
    const group = this.#group(name);
    let users = group.remote.get(realm);
    if (users === undefined) {
      users = new Set();
      group.remote.set(realm, users);
    }
    if (users.has(user)) return HANDLED_DONE;
    users.add(user);
    return this.#publish(name, group, { kind: "joined", user, realm });
  }

  leaveRemote(name: string, realm: string, user: string, how: LeaveKind = "left"): Handled {
    const group = this.#home.get(name);
    const users = group?.remote.get(realm);
    if (group === undefined || users === undefined || !users.delete(user)) return HANDLED_DONE;
    if (users.size === 0) group.remote.delete(realm);
    const stored = this.#publish(name, group, { kind: how, user, realm });
    this.#forget(name, group);
    return stored;
  }

  sayRemote(name: string, realm: string, user: string, text: string): Handled {
    const group = this.#home.get(name);
    if (group?.remote.get(realm)?.has(user) !== true) return HANDLED_DONE;
    return this.#publish(name, group, { kind: "message", user, realm, text });
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
}
