import { describeError, type Logger } from "@realmchat/node-runtime";
import { earliestClaim, formatAddress, labelFor, type FrameOf, type GroupClaim, type GroupRef } from "@realmchat/protocol";
import type { GroupBus, LocalGroupMember } from "../groups/group-bus.ts";
import { memberOfLabel } from "../groups/member-label.ts";
import { newMessageId } from "../message-id.ts";
import type { GroupStore } from "../store/realm-store.ts";
import type { FederationPort } from "./federation-port.ts";
import type { RemoteDirectory } from "./remote-directory.ts";
import type { RemoteGroups } from "./remote-groups.ts";

export interface GroupMergerOptions {
  readonly realm: string;
  readonly port: FederationPort;
  readonly groups: GroupBus;
  readonly groupStore: GroupStore;
  readonly directory: Pick<RemoteDirectory, "claims" | "claim">;
  readonly remoteGroups: Pick<RemoteGroups, "join">;
  readonly logger: Logger;
  readonly historySize: number;
  /** Tells the other realms this realm's groups changed. */
  readonly publishDirectory: () => Promise<void>;
  /** This realm's members of `from` were moved to `to` here. */
  readonly moved: (from: GroupRef, to: GroupRef) => void;
}

/** The one line a member is told when its group became one with another of the same name. */
export function movedText(from: GroupRef, to: GroupRef, realm: string): string {
  return (
    `#${labelFor(from.name, from.home, realm)} is now one group with #${labelFor(to.name, to.home, realm)} (same name, ` +
    `created first on ${to.home}); you are in it`
  );
}

/**
 * One group per name across the federation (docs/design/federation.md, "One group per name").
 * When two groups of one name meet, every realm applies the same rule (group-precedence.ts): the
 * later one merges into the earlier. The loser's realm moves its members, sends its members and
 * history to the winner (`gmerge`, kept until `gmerged` confirms), tells the realms of its other
 * members where the group lives now (`gwhere`), and keeps a record that answers late requests.
 */
export class GroupMerger {
  readonly #options: GroupMergerOptions;
  readonly #merging = new Set<string>();
  readonly #memberNotKept = (err: unknown): void => {
    this.#options.logger.error("a moved member was not put in the group it moved to", { error: describeError(err) });
  };

  constructor(options: GroupMergerOptions) {
    this.#options = options;
  }

  #winner(name: string, own: GroupClaim): GroupClaim {
    return earliestClaim([own, ...this.#options.directory.claims(name)]) ?? own;
  }

  /** What the directories say now: groups here, and groups followed here, that lost to an earlier one move. */
  async reconcile(): Promise<void> {
    const { realm, groups, groupStore, directory } = this.#options;
    for (const group of await groupStore.list()) {
      const winner = this.#winner(group.name, { home: realm, created: group.createdAt });
      if (winner.home !== realm) await this.#mergeAway(group.name, group.createdAt, winner.home);
    }
    for (const ref of groups.mirrors()) {
      const own = directory.claim(ref.name, ref.home);
      if (own === undefined) continue;
      const winner = this.#winner(ref.name, own);
      if (winner.home !== ref.home) this.#relocate(ref, { name: ref.name, home: winner.home });
    }
  }

  #relocate(from: GroupRef, to: GroupRef): void {
    this.relocateHere(from, to);
    this.#options.moved(from, to);
  }

  /** This process's members of `from` go to `to` (here, or where another instance of the realm decided it). */
  relocateHere(from: GroupRef, to: GroupRef): void {
    const { realm, groups } = this.#options;
    this.move(from, to, from.home === realm ? groups.evictHome(from.name).local : groups.evictMirror(from));
  }

  /** Puts members of `from` into `to`, telling each in one line. */
  move(from: GroupRef, to: GroupRef, members: readonly LocalGroupMember[]): void {
    const { realm, groups, groupStore, remoteGroups } = this.#options;
    if (members.length === 0) return;
    const text = movedText(from, to, realm);
    for (const member of members) {
      member.moveGroup(from, to, text);
      if (to.home === realm) {
        groups.join(to.name, member);
        groupStore.addMember(to.name, member.username).catch(this.#memberNotKept);
      } else {
        remoteGroups.join(to, member).catch(this.#memberNotKept);
      }
    }
  }

  async #mergeAway(name: string, created: number, winner: string): Promise<void> {
    const { realm, port, groups, groupStore, logger, publishDirectory, moved } = this.#options;
    if (this.#merging.has(name)) return;
    this.#merging.add(name);
    try {
      // Recorded first, so that from here on every request about the group is pointed to the winner.
      const marked = groupStore.markMerged(name, winner);
      const { local, realms } = groups.evictHome(name);
      this.move({ name, home: realm }, { name, home: winner }, local);
      moved({ name, home: realm }, { name, home: winner });
      for (const to of realms) port.send({ t: "gwhere", id: newMessageId(), origin: realm, to, group: name, home: winner });
      await marked;
      logger.info("group merged into an earlier one of its name", {
        group: name,
        into: winner,
        moved: local.length,
        realms: realms.length,
      });
      await this.#offer(name, created, winner);
      await publishDirectory();
    } finally {
      this.#merging.delete(name);
    }
  }

  /** Sends a merged group's members and history to the winner; kept here until it confirms. */
  async #offer(name: string, created: number, winner: string): Promise<void> {
    const { realm, port, groupStore, historySize } = this.#options;
    const [labels, history] = await Promise.all([groupStore.members(name), groupStore.history(name, historySize)]);
    port.send({
      t: "gmerge",
      id: newMessageId(),
      origin: realm,
      to: winner,
      group: name,
      created,
      members: labels.map((l) => memberOfLabel(l, realm)),
      history,
    });
  }

  /** Offers again every merge its winner has not confirmed (`peer`: only those into that realm). */
  async offerPending(peer?: string): Promise<void> {
    for (const record of await this.#options.groupStore.pendingMerges()) {
      if (record.mergedInto !== undefined && (peer === undefined || record.mergedInto === peer))
        await this.#offer(record.name, record.createdAt, record.mergedInto);
    }
  }

  /** A later group of the same name merges into ours. */
  async onMerge(frame: FrameOf<"gmerge">): Promise<void> {
    const { realm, port, groupStore, historySize, logger } = this.#options;
    const record = (await groupStore.ensure(frame.group, formatAddress("postmaster", frame.origin))).group;
    if (record.mergedInto !== undefined) {
      port.send({ t: "gwhere", id: newMessageId(), origin: realm, to: frame.origin, group: frame.group, home: record.mergedInto });
      return;
    }
    const members = frame.members.map((m) => labelFor(m.user, m.realm, realm));
    await groupStore.absorb(frame.group, members, frame.history, historySize);
    port.send({ t: "gmerged", id: newMessageId(), origin: realm, to: frame.origin, group: frame.group });
    logger.info("took in a later group of the same name", {
      group: frame.group,
      from: frame.origin,
      members: members.length,
      events: frame.history.length,
    });
    // Our users who were in the loser follow it here.
    this.#relocate({ name: frame.group, home: frame.origin }, { name: frame.group, home: realm });
  }

  async onMerged(frame: FrameOf<"gmerged">): Promise<void> {
    const { groupStore } = this.#options;
    const record = await groupStore.get(frame.group);
    if (record?.mergedInto === frame.origin && record.mergePending === true) await groupStore.mergeConfirmed(frame.group);
  }

  /**
   * A realm says where one of its groups lives now. Our members of it move there at once (before
   * anything else is sent there for them); a merge of ours into it is offered to the new home.
   */
  async onWhere(frame: FrameOf<"gwhere">): Promise<void> {
    const { groups, groupStore } = this.#options;
    const from = { name: frame.group, home: frame.origin };
    if (frame.home === undefined) {
      for (const member of groups.evictMirror(from))
        member.deliverGroupNotice(frame.group, `there is no group ${frame.group} on ${frame.origin}`);
      return;
    }
    if (frame.home === frame.origin) return;
    this.#relocate(from, { name: frame.group, home: frame.home });
    const own = await groupStore.get(frame.group);
    if (own?.mergedInto === frame.origin && own.mergePending === true) {
      await groupStore.markMerged(frame.group, frame.home);
      await this.#offer(frame.group, own.createdAt, frame.home);
    }
  }
}
