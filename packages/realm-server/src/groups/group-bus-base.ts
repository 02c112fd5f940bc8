import { describeError, silentLogger, StorageClosedError, type Logger } from "@realmchat/node-runtime";
import { type GroupRef, type RosterEvent, type RosterMember } from "@realmchat/protocol";
import {
  GROUP_HISTORY_KEPT,
  type GroupHistoryEntry,
  type GroupHistoryStore,
  type GroupRoster,
  type LocalGroupMember,
} from "./group-bus.ts";
import { historyEntryOf } from "./history-entry.ts";
import { MirrorGroups } from "./mirror-groups.ts";
import { type GroupEventFact, RenderedGroupEvent } from "./group-event.ts";

/**
 * What every group bus does the same way, in one process or across instances: rendering events,
 * reading a home group's history from the store, and this realm's members of groups homed
 * elsewhere (their mirrors), which each instance keeps for its own connections.
 */
export abstract class GroupBusBase {
  readonly realm: string;
  readonly historySize: number;
  protected readonly store: GroupHistoryStore;
  protected readonly logger: Logger;
  readonly #mirrors: MirrorGroups;

  constructor(realm: string, store: GroupHistoryStore, historySize: number, logger: Logger = silentLogger) {
    this.realm = realm;
    this.store = store;
    this.historySize = historySize;
    this.logger = logger;
    this.#mirrors = new MirrorGroups(realm, historySize);
  }

  /** How many events the store keeps per group: none when none are shown. */
  protected get historyKept(): number {
    return this.historySize === 0 ? 0 : Math.max(this.historySize, GROUP_HISTORY_KEPT);
  }

  /**
   * The event was delivered live but is missing from the history (the store failed or is closing):
   * logged, not thrown, since nobody could do anything about it but the operator.
   */
  protected readonly historyFailed = (err: unknown): void => {
    // Members whose connections end as the realm shuts down leave after its store has closed.
    if (err instanceof StorageClosedError) this.logger.info("a group event after the store closed was not kept", { error: err.message });
    else this.logger.error("a group event was not kept in the history", { error: describeError(err) });
  };

  async history(group: GroupRef): Promise<GroupHistoryEntry[]> {
    if (group.home !== this.realm) return this.#mirrors.history(group);
    if (this.historySize === 0) return [];
    const events = await this.store.history(group.name, this.historySize);
    return events.map(historyEntryOf);
  }

  joinMirror(group: GroupRef, member: LocalGroupMember): void {
    this.#mirrors.join(group, member);
  }

  leaveMirror(group: GroupRef, member: LocalGroupMember): void {
    this.#mirrors.leave(group, member);
  }

  setMirrorSnapshot(
    group: GroupRef,
    members: readonly RosterMember[],
    online: readonly RosterMember[],
    history: readonly RosterEvent[],
  ): void {
    const snapshot = this.#mirrors.setSnapshot(group, members, online, history);
    if (snapshot === undefined) return;
    for (const h of snapshot.missed) {
      const rendered = new RenderedGroupEvent(group, h.event, this.realm, h.ts);
      for (const member of snapshot.members) member.deliverGroupEvent(rendered);
    }
  }

  mirrorRoster(group: GroupRef): GroupRoster | undefined {
    return this.#mirrors.roster(group);
  }

  deliverFromHome(group: GroupRef, event: GroupEventFact, ts = Date.now()): void {
    const members = this.#mirrors.record(group, event, ts);
    if (members === undefined) return;
    const rendered = new RenderedGroupEvent(group, event, this.realm, ts);
    for (const member of members) member.deliverGroupEvent(rendered);
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
