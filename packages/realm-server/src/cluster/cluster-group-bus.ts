import { handled, HANDLED_DONE, silentLogger, type Handled, type Logger } from "@realmchat/node-runtime";
import { labelFor, type RosterMember } from "@realmchat/protocol";
import type { ClusterLog, GroupOnlineRow } from "../store/cluster-log.ts";
import type { GroupBus, GroupEventRelay, GroupHistoryStore, LeaveKind, LocalGroupMember } from "../groups/group-bus.ts";
import { GroupBusBase } from "../groups/group-bus-base.ts";
import { newEventId } from "../message-id.ts";
import { type GroupEventFact, RenderedGroupEvent } from "../groups/group-event.ts";

/** Someone in a home group: a user of this realm on one instance, or a user of another realm (instance ""). */
interface OnlineEntry {
  readonly user: string;
  readonly realm: string;
  readonly instance: string;
  count: number;
}

export interface ClusterGroupBusOptions {
  readonly realm: string;
  /** This instance's id in the cluster log. */
  readonly instance: string;
  readonly log: ClusterLog;
  readonly relay: GroupEventRelay;
  readonly store: GroupHistoryStore;
  readonly historySize: number;
  /** Whether this instance holds the bridge link now, and so carries events to other realms. */
  readonly holdsLink: () => boolean;
  readonly logger?: Logger;
}

const keyOf = (user: string, realm: string, instance: string): string => `${user}@${realm}/${instance}`;

/**
 * Group fan-out across the instances of one realm (docs/design/scale-out.md): an event of a
 * group homed here is written to the cluster log, with its history, in one commit; every
 * instance, reading the log in position order, delivers it to its own members, so all of them
 * see one order. Who is in each group is folded from the same events; the instance holding the
 * bridge link carries each event to the other realms with members.
 */
export class ClusterGroupBus extends GroupBusBase implements GroupBus {
  readonly #options: ClusterGroupBusOptions;
  /** This instance's members, by group. */
  readonly #local = new Map<string, Set<LocalGroupMember>>();
  /** Everyone in each home group now, on any instance or realm, as of the last event read. */
  readonly #online = new Map<string, Map<string, OnlineEntry>>();
  /** Joins of other realms' users written but not read back yet: a repeated join is not written twice. */
  readonly #joining = new Set<string>();

  constructor(options: ClusterGroupBusOptions) {
    super(options.realm, options.store, options.historySize, options.logger ?? silentLogger);
    this.#options = options;
  }

  /** Who was online when this instance started (ClusterLog.snapshot). */
  load(rows: readonly GroupOnlineRow[]): void {
    for (const r of rows) this.#count(r.group, r.user, r.realm, r.instance, r.count);
  }

  #count(group: string, user: string, realm: string, instance: string, delta: number): void {
    let entries = this.#online.get(group);
    if (entries === undefined) {
      if (delta <= 0) return;
      entries = new Map();
      this.#online.set(group, entries);
    }
    const key = keyOf(user, realm, instance);
    const entry = entries.get(key);
    if (entry === undefined) {
      if (delta > 0) entries.set(key, { user, realm, instance, count: delta });
      return;
    }
    entry.count += delta;
    if (entry.count <= 0) entries.delete(key);
    if (entries.size === 0) this.#online.delete(group);
  }

  #has(group: string, user: string, realm: string): boolean {
    return this.#online.get(group)?.has(keyOf(user, realm, "")) === true;
  }

  /** An event of a home group, read from the log: every instance gets each once, in one order. */
  onGroupEvent(group: string, instance: string, fact: GroupEventFact, ts: number): void {
    if (fact.kind === "joined") this.#count(group, fact.user, fact.realm, instance, 1);
    else if (fact.kind !== "message") this.#count(group, fact.user, fact.realm, instance, -1);
    const members = this.#local.get(group);
    if (members !== undefined && members.size > 0) {
      const rendered = new RenderedGroupEvent({ name: group, home: this.realm }, fact, this.realm, ts);
      for (const member of members) member.deliverGroupEvent(rendered);
    }
    if (this.#options.holdsLink()) for (const realm of this.#realmsIn(group)) this.#options.relay.relayGroupEvent(realm, group, fact, ts);
  }

  #realmsIn(group: string): Set<string> {
    const realms = new Set<string>();
    for (const e of this.#online.get(group)?.values() ?? []) if (e.realm !== this.realm) realms.add(e.realm);
    return realms;
  }

  /** Writes an event and resolves once this instance has read it back (and so delivered it here). */
  #publish(group: string, instance: string, fact: GroupEventFact): Handled {
    return handled(this.#publishThrough(group, instance, fact), this.historyFailed);
  }

  async #publishThrough(group: string, instance: string, fact: GroupEventFact): Promise<void> {
    const { log } = this.#options;
    const event = { t: "group" as const, group, instance, fact: { ...fact, eid: newEventId() }, ts: Date.now() };
    const position = await log.publish(this.#options.instance, event, this.historyKept);
    await log.readThrough(position);
  }

  join(name: string, member: LocalGroupMember): Handled {
    let members = this.#local.get(name);
    if (members === undefined) {
      members = new Set();
      this.#local.set(name, members);
    }
    if (members.has(member)) return HANDLED_DONE;
    members.add(member);
    return this.#publish(name, this.#options.instance, { kind: "joined", user: member.username, realm: this.realm });
  }

  leave(name: string, member: LocalGroupMember, how: LeaveKind = "left"): Handled {
    const members = this.#local.get(name);
    if (members === undefined || !members.delete(member)) return HANDLED_DONE;
    if (members.size === 0) this.#local.delete(name);
    return this.#publish(name, this.#options.instance, { kind: how, user: member.username, realm: this.realm });
  }

  say(name: string, member: LocalGroupMember, text: string): Handled {
    if (this.#local.get(name)?.has(member) !== true) return HANDLED_DONE;
    return this.#publish(name, this.#options.instance, { kind: "message", user: member.username, realm: this.realm, text });
  }

  joinRemote(name: string, realm: string, user: string): Handled {
    const key = keyOf(user, realm, "");
    if (this.#has(name, user, realm) || this.#joining.has(key)) return HANDLED_DONE;
    this.#joining.add(key);
    const published = this.#publishThrough(name, "", { kind: "joined", user, realm }).finally(() => this.#joining.delete(key));
    return handled(published, this.historyFailed);
  }

  leaveRemote(name: string, realm: string, user: string, how: LeaveKind = "left"): Handled {
    if (!this.#has(name, user, realm)) return HANDLED_DONE;
    return this.#publish(name, "", { kind: how, user, realm });
  }

  sayRemote(name: string, realm: string, user: string, text: string): Handled {
    if (!this.#has(name, user, realm)) return HANDLED_DONE;
    return this.#publish(name, "", { kind: "message", user, realm, text });
  }

  dropRealm(realm: string): void {
    for (const [group, entries] of this.#online) {
      for (const e of entries.values()) {
        if (e.realm !== realm || e.instance !== "") continue;
        for (let i = 0; i < e.count; i++) this.#publish(group, "", { kind: "left", user: e.user, realm });
      }
    }
  }

  evictHome(name: string): { local: LocalGroupMember[]; realms: string[] } {
    const local = [...(this.#local.get(name) ?? [])];
    const realms = [...this.#realmsIn(name)];
    this.#local.delete(name);
    this.#online.delete(name);
    return { local, realms };
  }

  rosterOf(name: string): RosterMember[] {
    const seen = new Map<string, RosterMember>();
    const entries = [...(this.#online.get(name)?.values() ?? [])];
    // This realm's users first, as the single-process bus lists them.
    entries.sort((a, b) => Number(a.realm !== this.realm) - Number(b.realm !== this.realm));
    for (const e of entries) seen.set(`${e.user}@${e.realm}`, { user: e.user, realm: e.realm });
    return [...seen.values()];
  }

  members(name: string): string[] {
    return this.rosterOf(name).map((m) => labelFor(m.user, m.realm, this.realm));
  }
}
