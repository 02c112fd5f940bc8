import type { LiveEvent } from "@realmchat/protocol";
import type { JoinResult } from "./live-client.ts";

type GroupEvent = Extract<LiveEvent, { ev: "group" }>;

/** A join's history as the group events it stands for, oldest first. */
export function historyEvents(joined: JoinResult): GroupEvent[] {
  return joined.history.map((h) => ({ ev: "group", group: joined.group, home: joined.home, ...h }));
}

/**
 * Whether an event pushed while the join was being answered is in its history already: the same
 * event id, or (from a realm that gives none) the same kind, member and text at about that time.
 */
export function inJoinHistory(joined: JoinResult, e: LiveEvent): boolean {
  if (e.ev !== "group") return false;
  return joined.history.some((h) =>
    h.eventId !== undefined && e.eventId !== undefined
      ? h.eventId === e.eventId
      : h.kind === e.kind && h.member === e.member && h.text === e.text && Math.abs(h.ts - e.ts) < 2000,
  );
}
