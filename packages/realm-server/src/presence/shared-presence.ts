import type { LiveEvent } from "@realmchat/protocol";
import { v4 as uuidv4 } from "uuid";
import type { LiveEventLog, StoredMessage } from "../store/realm-store.ts";
import { LocalPresence } from "./local-presence.ts";
import type { LivePushTarget, Presence } from "./presence.ts";

/**
 * Presence across several instances of one realm (docs/design/scale-out.md): a push reaches the
 * user's connections here at once, and those on the other instances through the channel. The
 * message itself is in the shared inbox already, so a push that is late or lost costs only latency.
 */
export class SharedPresence implements Presence {
  readonly instance = uuidv4();
  readonly #local = new LocalPresence();
  readonly #channel: LiveEventLog;

  constructor(channel: LiveEventLog) {
    this.#channel = channel;
  }

  /** Starts hearing the other instances. */
  start(): Promise<void> {
    return this.#channel.subscribe((row) => {
      if (row.instance !== this.instance) this.#local.pushTo(row.username, row.event);
    });
  }

  add(target: LivePushTarget): void {
    this.#local.add(target);
  }

  remove(target: LivePushTarget): void {
    this.#local.remove(target);
  }

  #tell(username: string, event: LiveEvent): void {
    this.#local.pushTo(username, event);
    // Not awaited: the inbox holds the message; failing to tell is logged by nobody but costs only the push.
    this.#channel.publish(this.instance, username, event).catch(() => undefined);
  }

  messageStored(message: StoredMessage): void {
    this.#tell(message.to, { ev: "message", msgId: message.id, from: message.from, fromName: message.fromName, text: message.text, ts: message.sentAt });
  }

  delivered(username: string, msgId: string, to: string): void {
    this.#tell(username, { ev: "delivered", msgId, to });
  }
}
