import type { Logger } from "@realmchat/node-runtime";
import { formatAddress, type FrameOf, type RosterEvent, type RosterMember } from "@realmchat/protocol";
import type { GroupBus } from "../groups/group-bus.ts";
import { memberOfLabel } from "../groups/member-label.ts";
import { newMessageId } from "../message-id.ts";
import type { GroupRecord, GroupStore } from "../store/realm-store.ts";
import type { FederationPort } from "./federation-port.ts";

export interface HomeGroupRequestsOptions {
  readonly realm: string;
  readonly port: FederationPort;
  readonly groups: GroupBus;
  readonly groupStore: Pick<GroupStore, "get" | "addMember" | "removeMember" | "members" | "historyBefore">;
  readonly logger: Logger;
}

/** Events in a page of older history unless asked otherwise, and at most. */
export const HISTORY_PAGE = 50;
export const MAX_HISTORY_PAGE = 200;

const isLive = (record: GroupRecord | undefined): boolean => record !== undefined && record.mergedInto === undefined;

/**
 * What other realms ask of groups homed here (docs/protocol.md, "Groups across realms"): their
 * users join, leave and talk; they ask who is in a group and where a group lives. A request about
 * a group that merged into another realm's is answered with `gwhere`, naming that realm.
 *
 * Frames arrive in order and must be acted on in order (a join before the message after it):
 * every handler awaits the group's record once, then acts on the bus without awaiting again.
 */
export class HomeGroupRequests {
  readonly #options: HomeGroupRequestsOptions;

  constructor(options: HomeGroupRequestsOptions) {
    this.#options = options;
  }

  #where(to: string, group: string, record: GroupRecord | undefined, bounced?: { user: string; text: string }): void {
    const { realm, port } = this.#options;
    const home = isLive(record) ? realm : record?.mergedInto;
    port.send({ t: "gwhere", id: newMessageId(), origin: realm, to, group, ...(home === undefined ? {} : { home }), ...bounced });
  }

  /** A `groster` to `to`: who is in the group now, with the members and events given (a page of older history: `page`). */
  #roster(to: string, group: string, members: RosterMember[], history: RosterEvent[], page?: { before: string; more: boolean }): void {
    const { realm, port, groups } = this.#options;
    port.send({ t: "groster", id: newMessageId(), origin: realm, to, group, members, online: groups.rosterOf(group), history, ...page });
  }

  async #sendRoster(to: string, group: string): Promise<void> {
    const { realm, groups, groupStore } = this.#options;
    const [labels, history] = await Promise.all([groupStore.members(group), groups.history({ name: group, home: realm })]);
    const members = labels.map((label) => memberOfLabel(label, realm));
    this.#roster(
      to,
      group,
      members,
      history.map((h) => ({ ...h.event, ts: h.ts })),
    );
  }

  async onJoin(frame: FrameOf<"gjoin">): Promise<void> {
    const { groups, groupStore, logger } = this.#options;
    const record = await groupStore.get(frame.group);
    if (!isLive(record)) {
      logger.info("remote join of a group not homed here", { group: frame.group, from: frame.origin, mergedInto: record?.mergedInto });
      this.#where(frame.origin, frame.group, record);
      return;
    }
    const joined = groups.joinRemote(frame.group, frame.origin, frame.user);
    await Promise.all([joined, groupStore.addMember(frame.group, formatAddress(frame.user, frame.origin))]);
    await this.#sendRoster(frame.origin, frame.group);
  }

  async onLeave(frame: FrameOf<"gleave">): Promise<void> {
    const { groups, groupStore } = this.#options;
    const record = await groupStore.get(frame.group);
    if (!isLive(record)) return;
    groups.leaveRemote(frame.group, frame.origin, frame.user, frame.quit === true ? "quit" : "left");
    if (frame.forget === true) await groupStore.removeMember(frame.group, formatAddress(frame.user, frame.origin));
  }

  async onSay(frame: FrameOf<"gsay">): Promise<void> {
    const { groups, groupStore } = this.#options;
    const record = await groupStore.get(frame.group);
    if (isLive(record)) groups.sayRemote(frame.group, frame.origin, frame.user, frame.text);
    else this.#where(frame.origin, frame.group, record, { user: frame.user, text: frame.text });
  }

  async onWho(frame: FrameOf<"gwho">): Promise<void> {
    const record = await this.#options.groupStore.get(frame.group);
    if (!isLive(record)) this.#where(frame.origin, frame.group, record);
    else if (frame.before === undefined) await this.#sendRoster(frame.origin, frame.group);
    else await this.#sendPage(frame.origin, frame.group, frame.before, frame.limit);
  }

  /** Older history, for a member's realm paging back: the roster as it is, and the events before `before`. */
  async #sendPage(to: string, group: string, before: string, limit = HISTORY_PAGE): Promise<void> {
    const page = await this.#options.groupStore.historyBefore(group, before, Math.min(Math.max(1, limit), MAX_HISTORY_PAGE));
    this.#roster(to, group, [], [...page.events], { before, more: page.more });
  }

  async onFind(frame: FrameOf<"gfind">): Promise<void> {
    this.#where(frame.origin, frame.group, await this.#options.groupStore.get(frame.group));
  }
}
