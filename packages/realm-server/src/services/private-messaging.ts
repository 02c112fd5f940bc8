import { formatAddress, type Address } from "@realmchat/protocol";
import type { RemoteDirectory } from "../federation/remote-directory.ts";
import { newMessageId } from "../message-id.ts";
import type { Presence } from "../presence/presence.ts";
import { RequestError } from "../request-error.ts";
import type { InboxStore, OutboxEntry, UserRecord, UserStore } from "../store/realm-store.ts";

export interface PrivateMessagingOptions {
  readonly realm: string;
  readonly users: Pick<UserStore, "get">;
  readonly inboxes: Pick<InboxStore, "append" | "count">;
  /** Messages an inbox may hold; a send to a full one is refused with INBOX_FULL. */
  readonly maxInboxMessages: number;
  readonly presence: Pick<Presence, "messageStored">;
  readonly directory: Pick<RemoteDirectory, "resolveUser">;
  /**
   * Hands a message for another realm on, in the order it is called (OutboundPrivateRelay);
   * resolves once that realm stored it, or a committed queue holds it.
   */
  readonly outbound: { sendPrivate(message: OutboxEntry): Promise<{ readonly queued: boolean }> };
}

export interface SentMessage {
  readonly id: string;
  /** Held in a queue (the recipient's realm cannot be reached now), not yet stored there. */
  readonly queued: boolean;
}

/** Private messages, the same for every client protocol (docs/protocol.md, "Addresses"). */
export class PrivateMessaging {
  readonly #options: PrivateMessagingOptions;

  constructor(options: PrivateMessagingOptions) {
    this.#options = options;
  }

  /** Stores a message here for a local user, or hands it to the federation for a remote one. */
  async send(sender: UserRecord, to: Address, text: string): Promise<SentMessage> {
    return (await this.sendAnsweredLater(sender, to, text)).answer;
  }

  /**
   * Like `send`, but resolves as soon as the message is on its way (queued for this turn's commit
   * to an inbox, or handed to the relay for another realm), with its answer to come once it is
   * committed (or, for another realm, stored there): a client that need not wait (the live
   * protocol) goes on with its next request meanwhile, and its messages keep the order it sent them.
   */
  async sendAnsweredLater(sender: UserRecord, to: Address, text: string): Promise<{ readonly id: string; readonly answer: Promise<SentMessage> }> {
    const { realm, users, inboxes, presence, directory, outbound } = this.#options;
    const local = to.realm === undefined || to.realm === realm;
    const localRecipient = local ? await users.get(to.user) : undefined;
    const target = directory.resolveUser(to.user, to.realm, localRecipient !== undefined, realm);
    const id = newMessageId();
    const sentAt = Date.now();
    switch (target.kind) {
      case "local": {
        const recipient = localRecipient as UserRecord;
        if ((await inboxes.count(recipient.username)) >= this.#options.maxInboxMessages) {
          throw new RequestError("INBOX_FULL", `the inbox of '${recipient.username}' is full: try again later`, { fields: { user: recipient.username } });
        }
        const message = { id, from: sender.username, fromName: sender.displayName, to: recipient.username, toName: recipient.displayName, text, sentAt };
        const stored = inboxes.append(message);
        return { id, answer: stored.then(() => (presence.messageStored(message), { id, queued: false })) };
      }
      case "remote": {
        const answer = outbound.sendPrivate({ id, from: sender.username, fromName: sender.displayName, to: target.realm, user: target.user, text, sentAt });
        return { id, answer: answer.then(({ queued }) => ({ id, queued })) };
      }
      case "ambiguous":
        throw new RequestError("AMBIGUOUS_USER", `user name '${to.user}' is ambiguous: use one of ${target.candidates.join(", ")}`);
      case "unknown-realm":
        throw new RequestError("USER_NOT_FOUND", `user '${formatAddress(to.user, target.realm)}' not found: unknown realm`);
      case "none":
        throw new RequestError("USER_NOT_FOUND", `user '${to.realm === undefined ? to.user : formatAddress(to.user, to.realm)}' not found`);
    }
  }
}
