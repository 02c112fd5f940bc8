import type { LiveEvent, LiveReadMarker } from "@realmchat/protocol";
import type { StoredMessage } from "../store/realm-store.ts";
import type { LivePushTarget, Presence } from "./presence.ts";

/** Presence within one process: the live connections of each user. */
export class LocalPresence implements Presence {
  readonly #byUser = new Map<string, Set<LivePushTarget>>();

  add(target: LivePushTarget): void {
    let set = this.#byUser.get(target.username);
    if (set === undefined) {
      set = new Set();
      this.#byUser.set(target.username, set);
    }
    set.add(target);
  }

  remove(target: LivePushTarget): void {
    const set = this.#byUser.get(target.username);
    if (set === undefined) return;
    set.delete(target);
    if (set.size === 0) this.#byUser.delete(target.username);
  }

  /** An event for `username`'s live connections in this process, if there are any. */
  pushTo(username: string, event: LiveEvent): void {
    const set = this.#byUser.get(username);
    if (set !== undefined) for (const target of set) target.pushEvent(event);
  }

  /** A message was committed to `message.to`'s inbox. */
  messageStored(message: StoredMessage): void {
    const set = this.#byUser.get(message.to);
    if (set !== undefined) for (const target of set) target.pushMessage(message, false);
  }

  offer(message: StoredMessage): boolean {
    const set = this.#byUser.get(message.to);
    if (set === undefined) return false;
    for (const target of set) target.pushMessage(message, true);
    return true;
  }

  /** A message `username` sent to another realm, earlier queued, has been stored there. */
  delivered(username: string, msgId: string, to: string): void {
    this.pushTo(username, { ev: "delivered", msgId, to });
  }

  readMarkerMoved(username: string, marker: LiveReadMarker): void {
    this.pushTo(username, { ev: "read", conversation: marker.conversation, ts: marker.ts });
  }
}
