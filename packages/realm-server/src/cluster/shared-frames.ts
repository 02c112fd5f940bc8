import type { FederationFrame } from "@realmchat/protocol";
import type { Federation } from "../federation/federation.ts";

/** What the bridge says that every instance of a realm must hear, not only the one holding the link. */
const SHARED_FRAMES: ReadonlySet<FederationFrame["t"]> = new Set(["directory", "ack", "acks", "groster", "gwhere", "gevent"]);

export function isSharedFrame(frame: FederationFrame): boolean {
  return SHARED_FRAMES.has(frame.t);
}

/**
 * What the bridge said to the instance holding the link, handled on another for its own users:
 * answers, group events of other realms, directories. Merges are the holder's to decide (it tells
 * the others with `move`), so here a directory is only learnt and a `gwhere` only followed.
 */
export function handleSharedFrame(realm: string, federation: Federation, frame: FederationFrame): void {
  switch (frame.t) {
    case "directory":
      if (frame.realm !== realm) federation.directory.set(frame.realm, frame.users, frame.groups);
      return;
    case "ack":
    case "acks":
    case "groster":
    case "gevent":
      federation.handle(frame);
      return;
    case "gwhere":
      federation.remoteGroups.onWhere(frame);
      return;
    default:
  }
}
