import type { GroupHistoryRecord, GroupRecord, GroupStore } from "./realm-store.ts";

const sameEvent = (a: GroupHistoryRecord, b: GroupHistoryRecord): boolean =>
  a.ts === b.ts && a.kind === b.kind && a.user === b.user && a.realm === b.realm && a.text === b.text;

/** Groups in memory, for tests and throwaway realms (see GroupStore). */
export class MemoryGroupStore implements GroupStore {
  readonly #groups = new Map<string, GroupRecord>();
  readonly #members = new Map<string, Set<string>>();
  readonly #history = new Map<string, GroupHistoryRecord[]>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  async get(name: string): Promise<GroupRecord | undefined> {
    return this.#groups.get(name);
  }

  async pendingMerges(): Promise<readonly GroupRecord[]> {
    return [...this.#groups.values()].filter((g) => g.mergePending === true);
  }

  async list(): Promise<readonly GroupRecord[]> {
    return [...this.#groups.values()].filter((g) => g.mergedInto === undefined);
  }

  async ensure(name: string, createdBy: string): Promise<{ group: GroupRecord; created: boolean }> {
    const existing = this.#groups.get(name);
    if (existing !== undefined) return { group: existing, created: false };
    const group = { name, createdBy, createdAt: this.#now() };
    this.#groups.set(name, group);
    return { group, created: true };
  }

  async addMember(group: string, member: string): Promise<void> {
    let members = this.#members.get(group);
    if (members === undefined) {
      members = new Set();
      this.#members.set(group, members);
    }
    members.add(member);
  }

  async removeMember(group: string, member: string): Promise<void> {
    this.#members.get(group)?.delete(member);
  }

  async members(group: string): Promise<readonly string[]> {
    return [...(this.#members.get(group) ?? [])];
  }

  #events(group: string): GroupHistoryRecord[] {
    let list = this.#history.get(group);
    if (list === undefined) {
      list = [];
      this.#history.set(group, list);
    }
    return list;
  }

  async appendHistory(group: string, event: GroupHistoryRecord, keep: number): Promise<void> {
    const list = this.#events(group);
    list.push(event);
    if (list.length > keep) list.splice(0, list.length - keep);
  }

  async history(group: string, limit: number): Promise<GroupHistoryRecord[]> {
    return (this.#history.get(group) ?? []).slice(-limit);
  }

  async absorb(group: string, members: readonly string[], history: readonly GroupHistoryRecord[], keep: number): Promise<void> {
    for (const member of members) await this.addMember(group, member);
    const list = this.#events(group);
    for (const event of history) if (!list.some((e) => sameEvent(e, event))) list.push(event);
    // A stable sort: events of one millisecond keep the order they were recorded in.
    list.sort((a, b) => a.ts - b.ts);
    if (list.length > keep) list.splice(0, list.length - keep);
  }

  async markMerged(group: string, home: string): Promise<void> {
    const record = this.#groups.get(group);
    if (record !== undefined) this.#groups.set(group, { ...record, mergedInto: home, mergePending: true });
  }

  async mergeConfirmed(group: string): Promise<void> {
    const record = this.#groups.get(group);
    if (record?.mergedInto !== undefined) this.#groups.set(group, { ...record, mergePending: false });
    this.#members.delete(group);
    this.#history.delete(group);
  }
}
