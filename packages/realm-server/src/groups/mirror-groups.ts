import { formatAddress, formatGroupRef, labelFor, type GroupRef, type RosterEvent, type RosterMember } from "@realmchat/protocol";
import type { GroupHistoryEntry, GroupRoster, LocalGroupMember } from "./group-bus.ts";
import type { GroupEventFact } from "./group-event.ts";
import { historyEntryOf } from "./history-entry.ts";

interface Mirror {
  readonly members: Set<LocalGroupMember>;
  /** From the home's roster and events, by `user@realm`. */
  everyone: Map<string, RosterMember>;
  online: Map<string, RosterMember>;
  history: GroupHistoryEntry[];
}

/**
 * This realm's members of groups homed elsewhere, with what their homes last said of them: who is
 * in each, and its recent events. Kept in memory: a home sends all of it again on every join.
 */
export class MirrorGroups {
  readonly #realm: string;
  readonly #historySize: number;
  /** By `name@home`. */
  readonly #mirrors = new Map<string, Mirror>();
  readonly #refs = new Map<string, GroupRef>();

  constructor(realm: string, historySize: number) {
    this.#realm = realm;
    this.#historySize = historySize;
  }

  join(group: GroupRef, member: LocalGroupMember): void {
    const key = formatGroupRef(group);
    let mirror = this.#mirrors.get(key);
    if (mirror === undefined) {
      mirror = { members: new Set(), everyone: new Map(), online: new Map(), history: [] };
      this.#mirrors.set(key, mirror);
      this.#refs.set(key, group);
    }
    mirror.members.add(member);
  }

  leave(group: GroupRef, member: LocalGroupMember): void {
    const key = formatGroupRef(group);
    const mirror = this.#mirrors.get(key);
    if (mirror === undefined || !mirror.members.delete(member)) return;
    // Nobody here follows the group any more: its roster would go stale.
    if (mirror.members.size === 0) this.#drop(key);
  }

  #drop(key: string): void {
    this.#mirrors.delete(key);
    this.#refs.delete(key);
  }

  evict(group: GroupRef): LocalGroupMember[] {
    const key = formatGroupRef(group);
    const members = [...(this.#mirrors.get(key)?.members ?? [])];
    this.#drop(key);
    return members;
  }

  /**
   * What the home said on a join: who is in the group, and its recent events. Returns the members
   * here and the events they missed: those newer than the last one this realm had, that it never
   * got (said while the home was unreachable, before this realm's members were back in).
   */
  setSnapshot(
    group: GroupRef,
    everyone: readonly RosterMember[],
    online: readonly RosterMember[],
    history: readonly RosterEvent[],
  ): { readonly members: ReadonlySet<LocalGroupMember>; readonly missed: GroupHistoryEntry[] } | undefined {
    const mirror = this.#mirrors.get(formatGroupRef(group));
    if (mirror === undefined) return undefined;
    mirror.everyone = new Map(everyone.map((m) => [formatAddress(m.user, m.realm), m]));
    mirror.online = new Map(online.map((m) => [formatAddress(m.user, m.realm), m]));
    const known = new Set(mirror.history.map((h) => h.event.eid));
    const followed = mirror.history.length > 0;
    mirror.history = history.slice(-this.#historySize).map(historyEntryOf);
    if (!followed) return { members: mirror.members, missed: [] };
    // From the first event this realm had on (all of them if it had none of these: it missed more).
    const from = Math.max(
      0,
      mirror.history.findIndex((h) => known.has(h.event.eid)),
    );
    const missed = mirror.history.slice(from).filter((h) => h.event.eid !== undefined && !known.has(h.event.eid));
    return { members: mirror.members, missed };
  }

  roster(group: GroupRef): GroupRoster | undefined {
    const mirror = this.#mirrors.get(formatGroupRef(group));
    if (mirror === undefined) return undefined;
    const label = (m: RosterMember): string => labelFor(m.user, m.realm, this.#realm);
    return { members: [...mirror.everyone.values()].map(label), online: [...mirror.online.values()].map(label) };
  }

  history(group: GroupRef): GroupHistoryEntry[] {
    return [...(this.#mirrors.get(formatGroupRef(group))?.history ?? [])];
  }

  /** Records an event from the group's home; returns the members to hand it to. */
  record(group: GroupRef, event: GroupEventFact, ts: number): ReadonlySet<LocalGroupMember> | undefined {
    const mirror = this.#mirrors.get(formatGroupRef(group));
    if (mirror === undefined) return undefined;
    if (this.#historySize > 0) {
      mirror.history.push({ event, ts });
      if (mirror.history.length > this.#historySize) mirror.history.shift();
    }
    const who = formatAddress(event.user, event.realm);
    if (event.kind === "joined") {
      mirror.online.set(who, { user: event.user, realm: event.realm });
      mirror.everyone.set(who, { user: event.user, realm: event.realm });
    } else if (event.kind === "left" || event.kind === "quit") {
      mirror.online.delete(who);
    }
    return mirror.members;
  }

  membersOf(home: string): Array<readonly [string, LocalGroupMember]> {
    const out: Array<readonly [string, LocalGroupMember]> = [];
    for (const [key, mirror] of this.#mirrors) {
      const ref = this.#refs.get(key);
      if (ref?.home === home) for (const m of mirror.members) out.push([ref.name, m]);
    }
    return out;
  }

  refs(): GroupRef[] {
    return [...this.#refs.values()];
  }
}
