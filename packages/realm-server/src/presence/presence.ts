import type { LiveEvent, LiveReadMarker } from "@realmchat/protocol";
import type { StoredMessage } from "../store/realm-store.ts";

/** A live-protocol connection that is logged in: events for its user go to it. */
export interface LivePushTarget {
  readonly username: string;
  pushEvent(event: LiveEvent): void;
  /**
   * A private message for this user: `held` when it is not stored yet and waits for the client's
   * `ack` (PrivateHandOff), otherwise it is in the inbox already.
   */
  pushMessage(message: StoredMessage, held: boolean): void;
}

/**
 * Who is connected with the live protocol, and the routing of pushes to them. A pushed message
 * also stays in the inbox until the client acknowledges it, so a lost push loses nothing. With
 * several instances of one realm this becomes a channel between them; one process keeps a map.
 */
export interface Presence {
  add(target: LivePushTarget): void;
  remove(target: LivePushTarget): void;
  /** A message was committed to `message.to`'s inbox. */
  messageStored(message: StoredMessage): void;
  /**
   * Pushes a message that is not stored yet to the live connections of its recipient in this
   * process; false if there are none (the message then takes the commit path).
   */
  offer(message: StoredMessage): boolean;
  /** A message `username` sent to another realm, earlier queued, has been stored there. */
  delivered(username: string, msgId: string, to: string): void;
  /** `username` read a conversation up to a new point: every connection of theirs shows it read. */
  readMarkerMoved(username: string, marker: LiveReadMarker): void;
}
