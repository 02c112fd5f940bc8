import { formatAddress, type Address } from "@realmchat/protocol";
import type { SendReceipt } from "../federation/relay-receipt.ts";
import type { RemoteDirectory } from "../federation/remote-directory.ts";
import { messageIdFor } from "../message-id.ts";
import { RequestError } from "../request-error.ts";
import type { RealmMeter } from "../metrics/realm-meter.ts";
import type { PrivateHandOff } from "./private-hand-off.ts";
import type { Awaitable, InboxStore, OutboxEntry, StoredMessage, UserRecord, UserStore } from "../store/realm-store.ts";

export interface PrivateMessagingOptions {
  readonly realm: string;
  readonly users: Pick<UserStore, "get">;
  readonly inboxes: Pick<InboxStore, "append" | "count">;
  /** Messages an inbox may hold; a send to a full one is refused with INBOX_FULL. */
  readonly maxInboxMessages: number;
  /** Where a message for a local user goes: pushed and held, or stored (PrivateHandOff). */
  readonly handOff: Pick<PrivateHandOff, "deliver" | "heldFor">;
  readonly directory: Pick<RemoteDirectory, "resolveUser">;
  /**
   * Hands a message for another realm on, in the order it is called (OutboundPrivateRelay);
   * tells `receipt` once that realm stored it, or a committed queue holds it.
   */
  readonly outbound: { sendPrivate(message: OutboxEntry, receipt: SendReceipt): void };
  readonly meter: Pick<RealmMeter, "privateFromClients" | "privateToRealms">;
}

/** One private message to send: from whom, to whom, what; `cid` the sender's own id for it, if it gave one. */
export interface PrivateSend {
  readonly sender: UserRecord;
  readonly to: Address;
  readonly text: string;
  readonly cid?: string | undefined;
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
      const handed = this.submit({ sender, to, text }, { sent: (id, queued) => resolve({ id, queued }), failed: reject });
      if (handed instanceof Promise) handed.catch(reject);
    });
  }

  /**
   * Like `send`, but returns the message's id as soon as it is on its way (queued for this turn's
   * commit to an inbox, or handed to the relay for another realm) and tells `receipt` later how it
   * went: a client that need not wait (the live protocol) goes on with its next request meanwhile,
   * and its messages keep the order it sent them. A refusal (no such user, a full inbox) is thrown.
   * With the users and inbox sizes in memory (the embedded store) it returns at once: no promise.
   * A `cid` makes the message's id (messageIdFor), so a sender that sends again after a crash
   * makes the same message, which the recipient's realm and client know already.
   */
  submit(send: PrivateSend, receipt: SendReceipt): Awaitable<string> {
    const { to } = send;
    this.#options.meter.privateFromClients++;
    const local = to.realm === undefined || to.realm === this.#options.realm;
    const recipient = local ? this.#options.users.get(to.user) : undefined;
    if (recipient instanceof Promise) return recipient.then((r) => this.#route(send, r, receipt));
    return this.#route(send, recipient, receipt);
  }

  #route(send: PrivateSend, localRecipient: UserRecord | undefined, receipt: SendReceipt): Awaitable<string> {
    const { realm, directory, outbound } = this.#options;
    const { sender, to, text } = send;
    const target = directory.resolveUser(to.user, to.realm, localRecipient !== undefined, realm);
    switch (target.kind) {
      case "local": {
        const recipient = localRecipient as UserRecord;
        const count = this.#options.inboxes.count(recipient.username);
        const held = this.#options.handOff.heldFor(recipient.username);
        if (count instanceof Promise) return count.then((n) => this.#deliver(send, recipient, n + held, receipt));
        return this.#deliver(send, recipient, count + held, receipt);
      }
      case "remote": {
        const id = messageIdFor(sender.username, send.cid);
        this.#options.meter.privateToRealms++;
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

  #deliver(send: PrivateSend, recipient: UserRecord, inInbox: number, receipt: SendReceipt): string {
    const { sender, text } = send;
    if (inInbox >= this.#options.maxInboxMessages) {
      throw new RequestError("INBOX_FULL", `the inbox of '${recipient.username}' is full: try again later`, {
        fields: { user: recipient.username },
      });
    }
    const message: StoredMessage = {
      id: messageIdFor(sender.username, send.cid),
      from: sender.username,
      fromName: sender.displayName,
      to: recipient.username,
      toName: recipient.displayName,
      text,
      sentAt: Date.now(),
    };
    this.#options.handOff.deliver(message, receipt);
    return message.id;
  }
}
