import type { Logger } from "@realmchat/node-runtime";
import { earliestClaim, labelFor, type GroupClaim, type GroupRef, type LiveHistoryEntry, type RosterEvent } from "@realmchat/protocol";
import { movedText } from "../federation/group-merger.ts";
import type { RemoteDirectory } from "../federation/remote-directory.ts";
import type { HomeAnswer } from "../federation/remote-groups.ts";
import type { GroupBus, GroupRoster, LeaveKind, LocalGroupMember } from "../groups/group-bus.ts";
import { RequestError } from "../request-error.ts";
import type { GroupStore } from "../store/realm-store.ts";
import type { UserRateLimits } from "../throttle/user-rate-limits.ts";
import type { RealmMeter } from "../metrics/realm-meter.ts";

/** A line for a group homed elsewhere: that realm keeps its history. */
const SENT_AWAY = { stored: Promise.resolve() } as const;

/** What the group service needs of the federation: remote groups, and who can be reached. */
export interface GroupFederation {
  readonly directory: Pick<RemoteDirectory, "claims" | "claim" | "realms" | "groupsOf">;
  isPeerUp(realm: string): boolean;
  /** Joins a group homed elsewhere; resolves with the group joined (none: there is no such group). */
  joinRemote(group: GroupRef, member: LocalGroupMember): Promise<GroupRef | undefined>;
  leaveRemote(group: GroupRef, member: LocalGroupMember, how: LeaveKind): void;
  forgetRemote(group: GroupRef, user: string): void;
  sayRemote(group: GroupRef, member: LocalGroupMember, text: string): void;
  whoRemote(group: GroupRef, user: string): Promise<HomeAnswer>;
  /** Asks a group's home for the events before `before` (a `gwho` with `before`). */
  historyRemote(group: GroupRef, user: string, before: string, limit: number): Promise<HomeAnswer>;
  findRemote(group: GroupRef): Promise<HomeAnswer>;
  /** The realm's list of groups changed: tell the other realms. */
  announceDirectory(): void;
}

export interface GroupServiceOptions {
  readonly realm: string;
  readonly groupStore: GroupStore;
  readonly groups: GroupBus;
  readonly federation: GroupFederation;
  readonly logger: Logger;
  readonly rates: Pick<UserRateLimits, "admitGroupMessage">;
  readonly meter: Pick<RealmMeter, "groupFromClients" | "groupToRealms">;
}

/** A group's members and who of them is in it now, as labels seen from this realm. */
export interface GroupWho extends GroupRoster {
  readonly group: GroupRef;
}

/**
 * Group chat for every client protocol: which group a name means, joining, leaving and talking,
 * with the decision "homed here or on another realm" made here and nowhere else.
 */
export class GroupService {
  readonly #options: GroupServiceOptions;

  constructor(options: GroupServiceOptions) {
    this.#options = options;
  }

  #isHere(group: GroupRef): boolean {
    return group.home === this.#options.realm;
  }

  #unreachable(group: GroupRef, why = "which cannot be reached now"): RequestError {
    return new RequestError("REALM_UNREACHABLE", `group '${group.name}' lives on ${group.home}, ${why}`, {
      fields: { group: group.name, realm: group.home },
    });
  }

  /**
   * The group a name means (docs/protocol.md, "Addresses"), creating nothing: `name@realm`
   * exactly (asked of that realm if its directory has not come yet), a bare name the one group of
   * that name in the federation (the earliest created, group-precedence.ts).
   */
  async locate(name: string, realmHint: string | undefined): Promise<GroupRef | undefined> {
    const { realm, groupStore, federation } = this.#options;
    if (realmHint !== undefined && realmHint !== realm) return this.#ask({ name, home: realmHint });
    const own = await groupStore.get(name);
    if (own?.mergedInto !== undefined) return { name, home: own.mergedInto };
    if (realmHint === realm) return own === undefined ? undefined : { name, home: realm };
    const claims: GroupClaim[] = federation.directory.claims(name);
    if (own !== undefined) claims.push({ home: realm, created: own.createdAt });
    const winner = earliestClaim(claims);
    return winner === undefined ? undefined : { name, home: winner.home };
  }

  async #ask(group: GroupRef): Promise<GroupRef | undefined> {
    const { federation } = this.#options;
    if (federation.directory.claim(group.name, group.home) !== undefined) return group;
    if (!federation.isPeerUp(group.home)) {
      if (federation.directory.realms().includes(group.home)) throw this.#unreachable(group);
      return undefined;
    }
    const answer = await federation.findRemote(group);
    if (answer.kind === "roster") return group;
    if (answer.kind === "where") return answer.home === undefined ? undefined : { name: group.name, home: answer.home };
    throw this.#unreachable(group, "which did not answer");
  }

  /** The group `username` means by a name, created here if it exists nowhere; records a membership here. */
  async resolve(username: string, name: string, realmHint: string | undefined): Promise<GroupRef> {
    const { realm, groupStore, federation, logger } = this.#options;
    let group = await this.locate(name, realmHint);
    if (group === undefined) {
      if (realmHint !== undefined && realmHint !== realm)
        throw new RequestError("INVALID_ARGUMENT", `no group '${name}' on realm '${realmHint}'`, {
          fields: { group: name, realm: realmHint },
        });
      const { created } = await groupStore.ensure(name, username);
      if (created) {
        logger.info("group created", { group: name, by: username });
        federation.announceDirectory();
      }
      group = { name, home: realm };
    }
    if (this.#isHere(group)) await groupStore.addMember(name, username);
    else if (!federation.isPeerUp(group.home)) throw this.#unreachable(group);
    return group;
  }

  /**
   * Puts `member` in the group's fan-out; resolves once a remote group's roster is here, with the
   * group the member is in (another one if the group merged into it).
   */
  async join(member: LocalGroupMember, group: GroupRef): Promise<GroupRef> {
    const { realm, groupStore, groups, federation } = this.#options;
    if (this.#isHere(group)) {
      const record = await groupStore.get(group.name);
      if (record?.mergedInto !== undefined) {
        const to = { name: group.name, home: record.mergedInto };
        member.moveGroup(group, to, movedText(group, to, realm));
        return this.join(member, to);
      }
      await groups.join(group.name, member);
      return group;
    }
    const joined = await federation.joinRemote(group, member);
    if (joined === undefined)
      throw new RequestError("INVALID_ARGUMENT", `no group '${group.name}' on realm '${group.home}'`, {
        fields: { group: group.name, realm: group.home },
      });
    return joined;
  }

  /** Takes `member` out of the group's fan-out: it left (`left`), or its connection went away (`quit`). */
  leave(member: LocalGroupMember, group: GroupRef, how: LeaveKind = "left"): void {
    if (this.#isHere(group)) this.#options.groups.leave(group.name, member, how);
    else this.#options.federation.leaveRemote(group, member, how);
  }

  /** Ends `username`'s membership of a group (an explicit leave, not a disconnect). */
  async forget(group: GroupRef, username: string): Promise<void> {
    if (this.#isHere(group)) await this.#options.groupStore.removeMember(group.name, username);
    else this.#options.federation.forgetRemote(group, username);
  }

  /** Sends a line to a group; a member over the group message rate waits its turn. */
  /** Says `text` in the group; resolves once the line is in the group's history. */
  async say(member: LocalGroupMember, group: GroupRef, text: string): Promise<void> {
    await (
      await this.publish(member, group, text)
    ).stored;
  }

  /**
   * Says `text` in the group and resolves as soon as it is on its way to every member (in the
   * order the member said its lines), with `stored`: when it is in the group's history. A client
   * that need not wait for the store (the live protocol) goes on with its next request meanwhile.
   */
  async publish(member: LocalGroupMember, group: GroupRef, text: string): Promise<{ readonly stored: Promise<void> }> {
    await this.#options.rates.admitGroupMessage(member.username, text.length);
    this.#options.meter.groupFromClients++;
    if (this.#isHere(group)) return { stored: this.#options.groups.say(group.name, member, text) };
    this.#options.meter.groupToRealms++;
    this.#options.federation.sayRemote(group, member, text);
    return SENT_AWAY;
  }

  /** What a joining client is shown: recent history and who is in the group now. */
  async snapshot(group: GroupRef): Promise<{ readonly history: LiveHistoryEntry[]; readonly members: string[] }> {
    const { groups } = this.#options;
    const history = (await groups.history(group)).map((h) => this.#entry({ ...h.event, ts: h.ts }));
    const members = this.#isHere(group) ? groups.members(group.name) : [...(groups.mirrorRoster(group)?.online ?? [])];
    return { history, members };
  }

  /**
   * Up to `limit` events before the event `before`, oldest first (the live `history`), from the
   * store of the group's home: asked of that realm for a group homed elsewhere.
   */
  async olderHistory(
    group: GroupRef,
    asker: string,
    before: string,
    limit: number,
  ): Promise<{ history: LiveHistoryEntry[]; more: boolean }> {
    const { groupStore, federation } = this.#options;
    if (this.#isHere(group)) {
      const page = await groupStore.historyBefore(group.name, before, limit);
      return { history: page.events.map((e) => this.#entry(e)), more: page.more };
    }
    if (!federation.isPeerUp(group.home)) throw this.#unreachable(group);
    const answer = await federation.historyRemote(group, asker, before, limit);
    if (answer.kind !== "roster") throw this.#unreachable(group, "which did not answer");
    return { history: answer.frame.history.map((e) => this.#entry(e)), more: answer.frame.more === true };
  }

  /** A stored event as the live protocol shows it to this realm's users. */
  #entry(e: RosterEvent): LiveHistoryEntry {
    return {
      kind: e.kind,
      member: labelFor(e.user, e.realm, this.#options.realm),
      ...(e.text === undefined ? {} : { text: e.text }),
      ts: e.ts,
      ...(e.eid === undefined ? {} : { eventId: e.eid }),
    };
  }

  /** Every group the federation has, once each: where several realms list a name, the one it means. */
  async list(): Promise<GroupRef[]> {
    const { realm, groupStore, federation } = this.#options;
    const claims = new Map<string, GroupClaim[]>();
    const add = (name: string, claim: GroupClaim): void => {
      const list = claims.get(name);
      if (list === undefined) claims.set(name, [claim]);
      else list.push(claim);
    };
    for (const g of await groupStore.list()) add(g.name, { home: realm, created: g.createdAt });
    for (const home of federation.directory.realms()) {
      for (const name of federation.directory.groupsOf(home)) {
        const claim = federation.directory.claim(name, home);
        if (claim !== undefined) add(name, claim);
      }
    }
    return [...claims].map(([name, list]) => ({ name, home: (earliestClaim(list) as GroupClaim).home }));
  }

  /** Everyone in a group (who joined and has not left it) and who of them is in it now. */
  async who(group: GroupRef, asker: string, hops = 0): Promise<GroupWho> {
    const { groupStore, groups, federation, realm } = this.#options;
    // A group is followed through at most two merges; more would mean realms pointing in a circle.
    if (hops > 2) throw this.#unreachable(group, "which points elsewhere");
    if (this.#isHere(group)) {
      const record = await groupStore.get(group.name);
      if (record === undefined) throw new RequestError("INVALID_ARGUMENT", `no group '${group.name}' here`);
      if (record.mergedInto !== undefined) return this.who({ name: group.name, home: record.mergedInto }, asker, hops + 1);
      const online = groups.members(group.name);
      const members = [...(await groupStore.members(group.name))];
      // Someone who just came in may be online a moment before the membership is written.
      for (const label of online) if (!members.includes(label)) members.push(label);
      return { group, members, online };
    }
    const answer = await federation.whoRemote(group, asker);
    if (answer.kind === "roster") {
      const label = (m: { user: string; realm: string }): string => labelFor(m.user, m.realm, realm);
      return { group, members: answer.frame.members.map(label), online: answer.frame.online.map(label) };
    }
    if (answer.kind === "where") {
      if (answer.home === undefined) throw new RequestError("INVALID_ARGUMENT", `no group '${group.name}' on realm '${group.home}'`);
      return this.who({ name: group.name, home: answer.home }, asker, hops + 1);
    }
    const known = groups.mirrorRoster(group);
    if (known === undefined) throw this.#unreachable(group, "which did not answer");
    return { group, ...known };
  }
}
