import type { Address, ErrorCode } from "@realmchat/protocol";
import { v4 as uuidv4 } from "uuid";
import { RemoteRejectedError } from "../federation/federation-errors.ts";
import type { Realm } from "../realm.ts";
import type { UserRecord } from "../store/realm-store.ts";

export type SendResult =
  | { readonly kind: "sent"; readonly id: string; readonly queued: boolean }
  | { readonly kind: "error"; readonly code: ErrorCode; readonly message: string };

/**
 * A private message from a logged-in user to `to` (docs/protocol.md, "Addresses"), the same for
 * every client protocol: stored here for a local user, handed to the federation for a remote one.
 */
export async function sendPrivateMessage(realm: Realm, sender: UserRecord, to: Address, text: string): Promise<SendResult> {
  const { store, name: realmName, federation } = realm;
  const local = to.realm === undefined || to.realm === realmName;
  const localRecipient = local ? await store.users.get(to.user) : undefined;
  const target = federation.directory.resolveUser(to.user, to.realm, localRecipient !== undefined, realmName);
  const id = uuidv4();
  const sentAt = Date.now();
  switch (target.kind) {
    case "local": {
      const recipient = localRecipient as UserRecord;
      const message = { id, from: sender.username, fromName: sender.displayName, to: recipient.username, toName: recipient.displayName, text, sentAt };
      await store.inboxes.append(message);
      realm.presence.messageStored(message);
      return { kind: "sent", id, queued: false };
    }
    case "remote":
      try {
        const { queued } = await federation.sendPrivate({ id, from: sender.username, fromName: sender.displayName, to: target.realm, user: target.user, text, sentAt });
        return { kind: "sent", id, queued };
      } catch (err) {
        if (err instanceof RemoteRejectedError) return { kind: "error", code: err.code, message: err.message };
        throw err;
      }
    case "ambiguous":
      return { kind: "error", code: "AMBIGUOUS_USER", message: `user name '${to.user}' is ambiguous: use one of ${target.candidates.join(", ")}` };
    case "unknown-realm":
      return { kind: "error", code: "USER_NOT_FOUND", message: `user '${to.user}@${target.realm}' not found: unknown realm` };
    case "none":
      return { kind: "error", code: "USER_NOT_FOUND", message: `user '${to.realm === undefined ? to.user : `${to.user}@${to.realm}`}' not found` };
  }
}
