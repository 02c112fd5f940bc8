import { describeError, type Logger } from "@realmchat/node-runtime";
import type { LiveEvent, LiveReadMarker } from "@realmchat/protocol";
import type { ClusterLog } from "../store/cluster-log.ts";
import type { StoredMessage } from "../store/realm-store.ts";
import { LocalPresence } from "../presence/local-presence.ts";
import type { LivePushTarget, Presence } from "../presence/presence.ts";

/**
 * Presence across several instances of one realm (docs/design/scale-out.md): a push reaches the
 * user's connections here at once, and those on the other instances through the cluster log's pushes. The
 * message itself is in the shared inbox already, so a push that is late or lost costs only latency.
 */
export class SharedPresence implements Presence {
  readonly #instance: string;
  readonly #local = new LocalPresence();
  readonly #log: ClusterLog;

  readonly #pushNotWritten: (err: unknown) => void;

  constructor(instance: string, log: ClusterLog, logger: Logger) {
    this.#instance = instance;
    this.#log = log;
    this.#pushNotWritten = (err) =>
      logger.warn("a push for another instance was not written; the message waits in the inbox", { error: describeError(err) });
  }

  /** A push another instance sent (ClusterLog.push). */
  pushFromPeer(username: string, event: LiveEvent): void {
    this.#local.pushTo(username, event);
  }

  add(target: LivePushTarget): void {
    this.#local.add(target);
  }

  remove(target: LivePushTarget): void {
    this.#local.remove(target);
  }

  #tell(username: string, event: LiveEvent): void {
    this.#local.pushTo(username, event);
    // Not awaited: the inbox holds the message; failing to tell costs only the push.
    this.#log.push(this.#instance, username, event).catch(this.#pushNotWritten);
  }

  messageStored(message: StoredMessage): void {
    this.#tell(message.to, {
      ev: "message",
      msgId: message.id,
      from: message.from,
      fromName: message.fromName,
      text: message.text,
      ts: message.sentAt,
    });
  }

  /** Only to this instance's connections: a held message is settled by the instance that holds it. */
  offer(message: StoredMessage): boolean {
    return this.#local.offer(message);
  }

  delivered(username: string, msgId: string, to: string): void {
    this.#tell(username, { ev: "delivered", msgId, to });
  }

  readMarkerMoved(username: string, marker: LiveReadMarker): void {
    this.#tell(username, { ev: "read", conversation: marker.conversation, ts: marker.ts });
  }
}
