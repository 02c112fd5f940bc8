import type { InboxService } from "../../../services/inbox-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import type { CommandResult } from "../classic-command.ts";

/**
 * The classic `inbox` (docs/protocol.md): one bounded page, oldest first, with `"more": true` when
 * more is waiting. The page leaves the inbox only once the reply has been handed to the socket.
 */
export async function handleInbox(inbox: InboxService, user: UserRecord): CommandResult {
  const page = await inbox.page(user.username);
  const last = page.messages.at(-1);
  return {
    reply: { kind: "inbox", messages: page.messages, ...(page.more ? { more: true } : {}) },
    ...(last === undefined ? {} : { afterWritten: () => inbox.ack(user.username, last.id) }),
  };
}
