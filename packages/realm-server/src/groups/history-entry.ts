import type { RosterEvent } from "@realmchat/protocol";
import type { GroupHistoryEntry } from "./group-bus.ts";

/** A stored (or rostered) event as a bus hands it on. */
export function historyEntryOf(e: RosterEvent): GroupHistoryEntry {
  return {
    event: {
      kind: e.kind,
      user: e.user,
      realm: e.realm,
      ...(e.text === undefined ? {} : { text: e.text }),
      ...(e.eid === undefined ? {} : { eid: e.eid }),
    },
    ts: e.ts,
  };
}
