import { encodeGroupEvent, type GroupEvent } from "@realmchat/protocol";

/** A live participant of a group: a local connection now, a bridge for remote members later. */
export interface GroupMember {
  /** How the member is shown to others: bare name if local, `user@realm` if remote. */
  readonly label: string;
  deliverGroupLine(line: string): void;
}

/**
 * Who is in which group right now, and fan-out of group events. A line is encoded once and the
 * same string handed to every member.
 */
export class GroupHub {
  readonly #groups = new Map<string, Set<GroupMember>>();

  join(group: string, member: GroupMember): void {
    let members = this.#groups.get(group);
    if (members === undefined) {
      members = new Set();
      this.#groups.set(group, members);
    }
    members.add(member);
    this.publish(group, { kind: "joined", member: member.label });
  }

  leave(group: string, member: GroupMember): void {
    const members = this.#groups.get(group);
    if (members === undefined || !members.delete(member)) return;
    if (members.size === 0) this.#groups.delete(group);
    else this.publish(group, { kind: "left", member: member.label });
  }

  publish(group: string, event: GroupEvent): void {
    const members = this.#groups.get(group);
    if (members === undefined) return;
    const line = encodeGroupEvent(event);
    for (const member of members) member.deliverGroupLine(line);
  }

  members(group: string): readonly string[] {
    return [...(this.#groups.get(group) ?? [])].map((m) => m.label);
  }
}
