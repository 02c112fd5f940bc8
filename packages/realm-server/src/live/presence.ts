import type { LiveEvent } from "@realmchat/protocol";
import type { StoredMessage } from "../store/realm-store.ts";

/** A live-protocol connection that is logged in: events for its user go to it. */
export interface LivePushTarget {
  readonly username: string;
  pushEvent(event: LiveEvent): void;
}

/**
 * Which users are connected with the live protocol, and pushing to them. A message is pushed live
 * and also stays in the inbox until the client acknowledges it, so a push that is lost on the way
 * loses nothing. (With several server instances this becomes a publish/subscribe channel.)
 */
export class Presence {
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

  isOnline(username: string): boolean {
    return this.#byUser.has(username);
  }

  #push(username: string, event: LiveEvent): void {
    const set = this.#byUser.get(username);
    if (set !== undefined) for (const target of set) target.pushEvent(event);
  }

  /** A message was committed to `message.to`'s inbox. */
  messageStored(message: StoredMessage): void {
    this.#push(message.to, { ev: "message", msgId: message.id, from: message.from, fromName: message.fromName, text: message.text, ts: message.sentAt });
  }

  /** A message `username` sent to another realm, earlier queued, has been stored there. */
  delivered(username: string, msgId: string, to: string): void {
    this.#push(username, { ev: "delivered", msgId, to });
  }
}
