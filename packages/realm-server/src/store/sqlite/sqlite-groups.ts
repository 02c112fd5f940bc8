import type { GroupHistoryRecord, GroupRecord, GroupStore, HistoryPage } from "../realm-store.ts";
import {
  absorbGroup,
  addMember,
  appendHistory,
  confirmMerge,
  insertGroup,
  listMembers,
  markMerged,
  readHistory,
  readHistoryBefore,
  removeMember,
} from "./group-operations.ts";
import type { StoreContext } from "./store-context.ts";

const recordOf = (r: Record<string, unknown>): GroupRecord => ({
  name: String(r.name),
  createdBy: String(r.created_by),
  createdAt: Number(r.created_at),
  ...(r.merged_into === null ? {} : { mergedInto: String(r.merged_into), mergePending: Number(r.merge_pending) === 1 }),
});

/** Groups, memberships and history in the realm's SQLite file (see GroupStore). */
export class SqliteGroups implements GroupStore {
  readonly #ctx: StoreContext;
  readonly #cache = new Map<string, GroupRecord>();

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
    for (const r of ctx.db.prepare("SELECT name, created_by, created_at, merged_into, merge_pending FROM groups").all()) {
      const record = recordOf(r);
      this.#cache.set(record.name, record);
    }
  }

  async get(name: string): Promise<GroupRecord | undefined> {
    return this.#cache.get(name);
  }

  async pendingMerges(): Promise<readonly GroupRecord[]> {
    return [...this.#cache.values()].filter((g) => g.mergePending === true);
  }

  async list(): Promise<readonly GroupRecord[]> {
    return [...this.#cache.values()].filter((g) => g.mergedInto === undefined);
  }

  async ensure(name: string, createdBy: string): Promise<{ group: GroupRecord; created: boolean }> {
    const existing = this.#cache.get(name);
    if (existing !== undefined) return { group: existing, created: false };
    const group = { name, createdBy, createdAt: this.#ctx.now() };
    this.#cache.set(name, group);
    await this.#ctx.commits.run(insertGroup, group);
    return { group, created: true };
  }

  addMember(group: string, member: string): Promise<void> {
    return this.#ctx.commits.run(addMember, { group, member, at: this.#ctx.now() });
  }

  removeMember(group: string, member: string): Promise<void> {
    return this.#ctx.commits.run(removeMember, { group, member });
  }

  members(group: string): Promise<readonly string[]> {
    return this.#ctx.commits.run(listMembers, group);
  }

  appendHistory(group: string, event: GroupHistoryRecord, keep: number): Promise<void> {
    return this.#ctx.commits.run(appendHistory, { group, event, keep });
  }

  history(group: string, limit: number): Promise<GroupHistoryRecord[]> {
    return this.#ctx.commits.run(readHistory, { group, limit });
  }

  historyBefore(group: string, before: string, limit: number): Promise<HistoryPage> {
    return this.#ctx.commits.run(readHistoryBefore, { group, before, limit });
  }

  absorb(group: string, members: readonly string[], history: readonly GroupHistoryRecord[], keep: number): Promise<void> {
    return this.#ctx.commits.run(absorbGroup, { group, members, history, keep, at: this.#ctx.now() });
  }

  async markMerged(group: string, home: string): Promise<void> {
    const record = this.#cache.get(group);
    if (record !== undefined) this.#cache.set(group, { ...record, mergedInto: home, mergePending: true });
    await this.#ctx.commits.run(markMerged, { group, home });
  }

  async mergeConfirmed(group: string): Promise<void> {
    const record = this.#cache.get(group);
    if (record?.mergedInto !== undefined) this.#cache.set(group, { ...record, mergePending: false });
    await this.#ctx.commits.run(confirmMerge, group);
  }
}
