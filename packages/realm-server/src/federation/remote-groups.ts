import type { Logger } from "@realmchat/node-runtime";
import { formatGroupRef, type FrameOf, type GroupRef } from "@realmchat/protocol";
import { v4 as uuidv4 } from "uuid";
import type { GroupBus, LocalGroupMember } from "../groups/group-bus.ts";
import type { GroupStore } from "../store/realm-store.ts";
import type { FederationPort } from "./federation-port.ts";

/** How long a join of a remote group waits for the home's roster before answering without it. */
const ROSTER_WAIT_MS = 2000;

export interface RemoteGroupsOptions {
  readonly realm: string;
  readonly port: FederationPort;
  readonly groups: GroupBus;
  readonly groupStore: Pick<GroupStore, "get">;
  readonly logger: Logger;
}

/**
 * Groups across realms (docs/protocol.md, "Groups across realms"): this realm's members of groups
 * homed elsewhere (joins, leaves and messages go to the home realm), and other realms' members of
 * groups homed here (their joins are answered with the roster and recent history).
 */
export class RemoteGroups {
  readonly #options: RemoteGroupsOptions;
  readonly #rosterWaiters = new Map<string, Array<() => void>>();

  constructor(options: RemoteGroupsOptions) {
    this.#options = options;
  }

  #send(frame: FrameOf<"gjoin"> | FrameOf<"gleave"> | FrameOf<"gsay"> | FrameOf<"groster">): boolean {
    return this.#options.port.send(frame);
  }

  /** Joins a group homed elsewhere; resolves when its home sent the roster (or after a while without). */
  join(group: GroupRef, member: LocalGroupMember): Promise<void> {
    const { realm, groups } = this.#options;
    groups.joinMirror(group, member);
    this.#send({ t: "gjoin", id: uuidv4(), origin: realm, to: group.home, group: group.name, user: member.username });
    return new Promise((resolve) => {
      const key = formatGroupRef(group);
      const waiters = this.#rosterWaiters.get(key) ?? [];
      waiters.push(resolve);
      this.#rosterWaiters.set(key, waiters);
      setTimeout(resolve, ROSTER_WAIT_MS).unref();
    });
  }

  leave(group: GroupRef, member: LocalGroupMember): void {
    const { realm, groups, port } = this.#options;
    groups.leaveMirror(group, member);
    if (port.isPeerUp(group.home)) this.#send({ t: "gleave", id: uuidv4(), origin: realm, to: group.home, group: group.name, user: member.username });
  }

  say(group: GroupRef, member: LocalGroupMember, text: string): void {
    const { realm, port } = this.#options;
    if (!port.linked || !port.isPeerUp(group.home)) {
      member.deliverGroupNotice(group.name, `not delivered: ${group.home} is unreachable`);
      return;
    }
    this.#send({ t: "gsay", id: uuidv4(), origin: realm, to: group.home, group: group.name, user: member.username, text });
  }

  /** The home realm's roster and history, answering a join. */
  onRoster(frame: FrameOf<"groster">): void {
    const group = { name: frame.group, home: frame.origin };
    this.#options.groups.setMirrorSnapshot(group, frame.members, frame.history);
    const key = formatGroupRef(group);
    for (const resolve of this.#rosterWaiters.get(key) ?? []) resolve();
    this.#rosterWaiters.delete(key);
  }

  /** A user of another realm joins a group homed here. */
  async onRemoteJoin(frame: FrameOf<"gjoin">): Promise<void> {
    const { realm, groups, groupStore, logger } = this.#options;
    if ((await groupStore.get(frame.group)) === undefined) {
      logger.warn("remote join of an unknown group", { group: frame.group, from: frame.origin });
      return;
    }
    groups.joinRemote(frame.group, frame.origin, frame.user);
    this.#send({
      t: "groster",
      id: uuidv4(),
      origin: realm,
      to: frame.origin,
      group: frame.group,
      members: groups.rosterOf(frame.group),
      history: groups.history({ name: frame.group, home: realm }).map((h) => ({ ...h.event, ts: h.ts })),
    });
  }

  /** A peer realm is reachable again: members of groups homed there rejoin by themselves. */
  peerUp(home: string): void {
    const { realm, groups } = this.#options;
    for (const [group, member] of groups.mirrorMembers(home)) {
      member.deliverGroupNotice(group, `${home} is reachable again`);
      this.#send({ t: "gjoin", id: uuidv4(), origin: realm, to: home, group, user: member.username });
    }
  }

  peerDown(home: string): void {
    const { groups } = this.#options;
    groups.dropRealm(home);
    for (const [group, member] of groups.mirrorMembers(home)) member.deliverGroupNotice(group, `${home} is unreachable: ${group} is paused until it is back`);
  }
}
