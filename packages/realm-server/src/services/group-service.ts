import type { Logger } from "@realmchat/node-runtime";
import { formatAddress, labelFor, type GroupRef, type LiveHistoryEntry } from "@realmchat/protocol";
import type { RemoteDirectory } from "../federation/remote-directory.ts";
import type { GroupBus, LocalGroupMember } from "../groups/group-bus.ts";
import { RequestError } from "../request-error.ts";
import type { GroupStore } from "../store/realm-store.ts";
import type { UserRateLimits } from "../throttle/user-rate-limits.ts";

/** What the group service needs of the federation: remote groups, and who can be reached. */
export interface GroupFederation {
  readonly directory: Pick<RemoteDirectory, "groupHomes" | "realms" | "groupsOf">;
  isPeerUp(realm: string): boolean;
  /** Joins a group homed elsewhere; resolves once its home sent the roster (or gave up waiting). */
  joinRemote(group: GroupRef, member: LocalGroupMember): Promise<void>;
  leaveRemote(group: GroupRef, member: LocalGroupMember): void;
  sayRemote(group: GroupRef, member: LocalGroupMember, text: string): void;
  /** The realm's list of groups changed: tell the other realms. */
  publishDirectory(): Promise<void>;
}

export interface GroupServiceOptions {
  readonly realm: string;
  readonly groupStore: GroupStore;
  readonly groups: GroupBus;
  readonly federation: GroupFederation;
  readonly logger: Logger;
  readonly rates: Pick<UserRateLimits, "admitGroupMessage">;
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

  /**
   * The group `username` means by `name` (docs/protocol.md, "Addresses"): the local one first,
   * then the one peer realm that has it; a name found nowhere is created here. Records the
   * membership of a local group.
   */
  async resolve(username: string, name: string, realmHint: string | undefined): Promise<GroupRef> {
    const { realm, groupStore, federation, logger } = this.#options;
    const here = realmHint === undefined || realmHint === realm;
    if (here && (realmHint === realm || (await groupStore.get(name)) !== undefined)) {
      await groupStore.ensure(name, username);
      await groupStore.addMember(name, username);
      return { name, home: realm };
    }
    const homes = federation.directory.groupHomes(name).filter((h) => realmHint === undefined || h === realmHint);
    if (homes.length > 1) {
      throw new RequestError("AMBIGUOUS_GROUP", `group '${name}' exists on several realms: use one of ${homes.map((h) => formatAddress(name, h)).join(", ")}`);
    }
    const home = homes[0];
    if (home === undefined) {
      if (realmHint !== undefined) throw new RequestError("INVALID_ARGUMENT", `no group '${name}' on realm '${realmHint}'`, { fields: { group: name, realm: realmHint } });
      const { created } = await groupStore.ensure(name, username);
      await groupStore.addMember(name, username);
      if (created) {
        logger.info("group created", { group: name, by: username });
        void federation.publishDirectory();
      }
      return { name, home: realm };
    }
    if (!federation.isPeerUp(home)) throw new RequestError("REALM_UNREACHABLE", `group '${name}' lives on ${home}, which cannot be reached now`, { fields: { group: name, realm: home } });
    return { name, home };
  }

  /** Puts `member` in the group's fan-out; resolves once a remote group's roster is here. */
  join(member: LocalGroupMember, group: GroupRef): Promise<void> {
    if (!this.#isHere(group)) return this.#options.federation.joinRemote(group, member);
    this.#options.groups.join(group.name, member);
    return Promise.resolve();
  }

  /** Takes `member` out of the group's fan-out (the connection left or went away). */
  leave(member: LocalGroupMember, group: GroupRef): void {
    if (this.#isHere(group)) this.#options.groups.leave(group.name, member);
    else this.#options.federation.leaveRemote(group, member);
  }

  /** Ends `username`'s membership of a group homed here (an explicit leave, not a disconnect). */
  async forget(group: GroupRef, username: string): Promise<void> {
    if (this.#isHere(group)) await this.#options.groupStore.removeMember(group.name, username);
  }

  /** Sends a line to a group; a member over the group message rate waits its turn. */
  async say(member: LocalGroupMember, group: GroupRef, text: string): Promise<void> {
    await this.#options.rates.admitGroupMessage(member.username, text.length);
    if (this.#isHere(group)) this.#options.groups.say(group.name, member, text);
    else this.#options.federation.sayRemote(group, member, text);
  }

  /** What a joining client is shown: recent history and who is in the group now. */
  snapshot(group: GroupRef): { readonly history: LiveHistoryEntry[]; readonly members: string[] } {
    const { realm, groups } = this.#options;
    const history = groups.history(group).map((h) => ({
      kind: h.event.kind,
      member: labelFor(h.event.user, h.event.realm, realm),
      ...(h.event.text === undefined ? {} : { text: h.event.text }),
      ts: h.ts,
    }));
    const members = this.#isHere(group) ? groups.members(group.name) : (groups.mirrorRoster(group) ?? []);
    return { history, members };
  }

  /** Every group this realm knows of: its own, then those its peers' directories list. */
  async list(): Promise<GroupRef[]> {
    const { realm, groupStore, federation } = this.#options;
    const out: GroupRef[] = (await groupStore.list()).map((g) => ({ name: g.name, home: realm }));
    for (const home of federation.directory.realms()) for (const name of federation.directory.groupsOf(home)) out.push({ name, home });
    return out;
  }

  /**
   * A group's members and who of them is in it now. For a group homed elsewhere this realm knows
   * who is in it now (from its home's roster), not its past members.
   */
  async who(group: GroupRef): Promise<{ readonly members: readonly string[]; readonly online: readonly string[] }> {
    const { groupStore, groups } = this.#options;
    if (!this.#isHere(group)) {
      const roster = groups.mirrorRoster(group);
      if (roster === undefined) throw new RequestError("INVALID_ARGUMENT", `join ${formatAddress(group.name, group.home)} to see who is in it`);
      return { members: roster, online: roster };
    }
    if ((await groupStore.get(group.name)) === undefined) throw new RequestError("INVALID_ARGUMENT", `no group '${group.name}' here`);
    const online = groups.members(group.name);
    // Members of other realms count as members while they are in the group (their realms keep their memberships).
    const members = [...(await groupStore.members(group.name))];
    for (const label of online) if (!members.includes(label)) members.push(label);
    return { members, online };
  }
}
