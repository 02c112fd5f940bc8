import type { Logger } from "@realmchat/node-runtime";
import { formatGroupRef, type FrameOf, type GroupRef } from "@realmchat/protocol";
import type { GroupBus, LeaveKind, LocalGroupMember } from "../groups/group-bus.ts";
import { newMessageId } from "../message-id.ts";
import type { FederationPort } from "./federation-port.ts";

/** How long a request about a group waits for its home's answer. */
const ANSWER_WAIT_MS = 2000;

/** What a group's home said to a request about it. */
export type HomeAnswer =
  | { readonly kind: "roster"; readonly frame: FrameOf<"groster"> }
  /** The group lives on `home` (the realm asked, or the one it merged into); no `home`: there is no such group. */
  | { readonly kind: "where"; readonly home: string | undefined }
  | { readonly kind: "silent" };

export interface RemoteGroupsOptions {
  readonly realm: string;
  readonly port: FederationPort;
  readonly groups: GroupBus;
  readonly logger: Logger;
}

const waiterKey = (group: GroupRef, before: string | undefined): string =>
  before === undefined ? formatGroupRef(group) : `${formatGroupRef(group)} before ${before}`;

type GroupFrame = FrameOf<"gjoin"> | FrameOf<"gleave"> | FrameOf<"gsay"> | FrameOf<"gwho"> | FrameOf<"gfind">;

/**
 * This realm's members of groups homed elsewhere (docs/protocol.md, "Groups across realms"):
 * their joins, leaves and messages go to the home realm, and its answers come back here.
 */
export class RemoteGroups {
  readonly #options: RemoteGroupsOptions;
  readonly #waiters = new Map<string, Array<(answer: HomeAnswer) => void>>();

  constructor(options: RemoteGroupsOptions) {
    this.#options = options;
  }

  #send(frame: GroupFrame): boolean {
    return this.#options.port.send(frame);
  }

  /** Waits for the home's next answer about `group` (or gives up after a while); `before`: to a request for older history. */
  #answer(group: GroupRef, before?: string): Promise<HomeAnswer> {
    return new Promise((resolve) => {
      const key = waiterKey(group, before);
      const waiters = this.#waiters.get(key) ?? [];
      waiters.push(resolve);
      this.#waiters.set(key, waiters);
      setTimeout(() => resolve({ kind: "silent" }), ANSWER_WAIT_MS).unref();
    });
  }

  #answered(group: GroupRef, answer: HomeAnswer, before?: string): void {
    const key = waiterKey(group, before);
    for (const resolve of this.#waiters.get(key) ?? []) resolve(answer);
    this.#waiters.delete(key);
  }

  /**
   * Joins a group homed elsewhere. Resolves with the group the member is in once its home
   * answered (another one if it merged away; none if there is no such group), or after a while.
   */
  async join(group: GroupRef, member: LocalGroupMember): Promise<GroupRef | undefined> {
    const { realm, groups } = this.#options;
    groups.joinMirror(group, member);
    this.#send({ t: "gjoin", id: newMessageId(), origin: realm, to: group.home, group: group.name, user: member.username });
    const answer = await this.#answer(group);
    if (answer.kind !== "where") return group;
    return answer.home === undefined ? undefined : { name: group.name, home: answer.home };
  }

  leave(group: GroupRef, member: LocalGroupMember, how: LeaveKind = "left"): void {
    const { realm, groups, port } = this.#options;
    groups.leaveMirror(group, member);
    if (port.isPeerUp(group.home))
      this.#send({
        t: "gleave",
        id: newMessageId(),
        origin: realm,
        to: group.home,
        group: group.name,
        user: member.username,
        ...(how === "quit" ? { quit: true } : {}),
      });
  }

  /** `user` left the group for good: its home forgets the membership. */
  forget(group: GroupRef, user: string): void {
    this.#send({ t: "gleave", id: newMessageId(), origin: this.#options.realm, to: group.home, group: group.name, user, forget: true });
  }

  say(group: GroupRef, member: Pick<LocalGroupMember, "username" | "deliverGroupNotice">, text: string): void {
    const { realm, port } = this.#options;
    if (!port.linked || !port.isPeerUp(group.home)) {
      member.deliverGroupNotice(group.name, `not delivered: ${group.home} is unreachable`);
      return;
    }
    this.#send({ t: "gsay", id: newMessageId(), origin: realm, to: group.home, group: group.name, user: member.username, text });
  }

  /** Asks a group's home who is in it. */
  async who(group: GroupRef, user: string): Promise<HomeAnswer> {
    if (!this.#send({ t: "gwho", id: newMessageId(), origin: this.#options.realm, to: group.home, group: group.name, user }))
      return { kind: "silent" };
    return this.#answer(group);
  }

  /** Asks the realm an address names where its group of that name lives (its directory may not have reached us yet). */
  async find(group: GroupRef): Promise<HomeAnswer> {
    if (!this.#send({ t: "gfind", id: newMessageId(), origin: this.#options.realm, to: group.home, group: group.name }))
      return { kind: "silent" };
    return this.#answer(group);
  }

  /** Asks a group's home for older history: the events before `before`. */
  async history(group: GroupRef, user: string, before: string, limit: number): Promise<HomeAnswer> {
    const { realm } = this.#options;
    if (!this.#send({ t: "gwho", id: newMessageId(), origin: realm, to: group.home, group: group.name, user, before, limit }))
      return { kind: "silent" };
    return this.#answer(group, before);
  }

  /** The home realm's roster and history, answering a join or a `gwho` (one with `before`: a page of older history). */
  onRoster(frame: FrameOf<"groster">): void {
    const group = { name: frame.group, home: frame.origin };
    if (frame.before !== undefined) {
      this.#answered(group, { kind: "roster", frame }, frame.before);
      return;
    }
    this.#options.groups.setMirrorSnapshot(group, frame.members, frame.online, frame.history);
    this.#answered(group, { kind: "roster", frame });
  }

  /** An event of a group homed on the frame's origin, for this realm's members of it. */
  onEvent(frame: FrameOf<"gevent">): void {
    const { kind, user, realm, text, eid } = frame;
    const event = { kind, user, realm, ...(text === undefined ? {} : { text }), ...(eid === undefined ? {} : { eid }) };
    this.#options.groups.deliverFromHome({ name: frame.group, home: frame.origin }, event, frame.ts);
  }

  /**
   * A realm says where a group we asked it about lives. A message it handed back (the group had
   * merged away) goes again to the new home, after the sender's move there (GroupMerger.onWhere).
   */
  onWhere(frame: FrameOf<"gwhere">): void {
    const { realm, logger } = this.#options;
    this.#answered({ name: frame.group, home: frame.origin }, { kind: "where", home: frame.home });
    if (frame.user === undefined || frame.text === undefined) return;
    if (frame.home === undefined || frame.home === frame.origin) {
      logger.warn("a group message came back undelivered", { group: frame.group, from: frame.origin, user: frame.user });
      return;
    }
    this.#send({ t: "gsay", id: newMessageId(), origin: realm, to: frame.home, group: frame.group, user: frame.user, text: frame.text });
  }

  /** A peer realm is reachable again: members of groups homed there rejoin by themselves. */
  peerUp(home: string): void {
    const { realm, groups } = this.#options;
    for (const [group, member] of groups.mirrorMembers(home)) {
      member.deliverGroupNotice(group, `${home} is reachable again`);
      this.#send({ t: "gjoin", id: newMessageId(), origin: realm, to: home, group, user: member.username });
    }
  }

  peerDown(home: string): void {
    const { groups } = this.#options;
    groups.dropRealm(home);
    for (const [group, member] of groups.mirrorMembers(home))
      member.deliverGroupNotice(group, `${home} is unreachable: ${group} is paused until it is back`);
  }
}
