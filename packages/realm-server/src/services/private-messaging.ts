import type { Completion } from "@realmchat/node-runtime";
import { formatAddress, type Address } from "@realmchat/protocol";
import type { SendReceipt } from "../federation/relay-receipt.ts";
import type { RemoteDirectory } from "../federation/remote-directory.ts";
import { newMessageId } from "../message-id.ts";
import type { Presence } from "../presence/presence.ts";
import { RequestError } from "../request-error.ts";
import type { Awaitable, InboxStore, OutboxEntry, StoredMessage, UserRecord, UserStore } from "../store/realm-store.ts";

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
   * tells `receipt` once that realm stored it, or a committed queue holds it.
   */
  readonly outbound: { sendPrivate(message: OutboxEntry, receipt: SendReceipt): void };
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
  send(sender: UserRecord, to: Address, text: string): Promise<SentMessage> {
    return new Promise((resolve, reject) => {
      const handed = this.submit(sender, to, text, { sent: (id, queued) => resolve({ id, queued }), failed: reject });
      if (handed instanceof Promise) handed.catch(reject);
    });
  }

  /**
   * Like `send`, but returns the message's id as soon as it is on its way (queued for this turn's
   * commit to an inbox, or handed to the relay for another realm) and tells `receipt` later how it
   * went: a client that need not wait (the live protocol) goes on with its next request meanwhile,
   * and its messages keep the order it sent them. A refusal (no such user, a full inbox) is thrown.
   * With the users and inbox sizes in memory (the embedded store) it returns at once: no promise.
   */
  submit(sender: UserRecord, to: Address, text: string, receipt: SendReceipt): Awaitable<string> {
    const local = to.realm === undefined || to.realm === this.#options.realm;
    const recipient = local ? this.#options.users.get(to.user) : undefined;
    if (recipient instanceof Promise) return recipient.then((r) => this.#route(sender, to, text, r, receipt));
    return this.#route(sender, to, text, recipient, receipt);
  }

  #route(sender: UserRecord, to: Address, text: string, localRecipient: UserRecord | undefined, receipt: SendReceipt): Awaitable<string> {
    const { realm, directory, outbound } = this.#options;
    const target = directory.resolveUser(to.user, to.realm, localRecipient !== undefined, realm);
    switch (target.kind) {
      case "local": {
        const recipient = localRecipient as UserRecord;
        const count = this.#options.inboxes.count(recipient.username);
        if (count instanceof Promise) return count.then((n) => this.#store(sender, recipient, text, n, receipt));
        return this.#store(sender, recipient, text, count, receipt);
      }
      case "remote": {
        const id = newMessageId();
        outbound.sendPrivate(
          { id, from: sender.username, fromName: sender.displayName, to: target.realm, user: target.user, text, sentAt: Date.now() },
          receipt,
        );
        return id;
      }
      case "ambiguous":
        throw new RequestError("AMBIGUOUS_USER", `user name '${to.user}' is ambiguous: use one of ${target.candidates.join(", ")}`);
      case "unknown-realm":
        throw new RequestError("USER_NOT_FOUND", `user '${formatAddress(to.user, target.realm)}' not found: unknown realm`);
      case "none":
        throw new RequestError("USER_NOT_FOUND", `user '${to.realm === undefined ? to.user : formatAddress(to.user, to.realm)}' not found`);
    }
  }

  #store(sender: UserRecord, recipient: UserRecord, text: string, inInbox: number, receipt: SendReceipt): string {
    if (inInbox >= this.#options.maxInboxMessages) {
      throw new RequestError("INBOX_FULL", `the inbox of '${recipient.username}' is full: try again later`, {
        fields: { user: recipient.username },
      });
    }
    const message: StoredMessage = {
      id: newMessageId(),
      from: sender.username,
      fromName: sender.displayName,
      to: recipient.username,
      toName: recipient.displayName,
      text,
      sentAt: Date.now(),
    };
    this.#options.inboxes.append(message, new LocalDelivery(message, this.#options.presence, receipt));
    return message.id;
  }
}

/** A message for a local inbox: once committed, pushed to its recipient's live connections, then its sender told. */
class LocalDelivery implements Completion<void> {
  readonly #message: StoredMessage;
  readonly #presence: Pick<Presence, "messageStored">;
  readonly #receipt: SendReceipt;

  constructor(message: StoredMessage, presence: Pick<Presence, "messageStored">, receipt: SendReceipt) {
    this.#message = message;
    this.#presence = presence;
    this.#receipt = receipt;
  }

  committed(): void {
    this.#presence.messageStored(this.#message);
    this.#receipt.sent(this.#message.id, false);
  }

  failed(error: unknown): void {
    this.#receipt.failed(error);
  }
}
