import type { ClassicRequest } from "@realmchat/protocol";
import type { InboxService } from "../../../services/inbox-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import type { CommandResult } from "../classic-command.ts";

/**
 * The classic `inbox` (docs/protocol.md): one bounded page, oldest first, with `"more": true` when
 * more is waiting. The page leaves the inbox only once the reply has been handed to the socket.
 */
export async function handleInbox(
  sessions: SessionService,
  inbox: InboxService,
  request: Extract<ClassicRequest, { kind: "inbox" }>,
): CommandResult {
  const session = await sessions.requireSession(request.token);
  const page = await inbox.page(session.username);
  const last = page.messages.at(-1);
  return {
    reply: { kind: "inbox", messages: page.messages, ...(page.more ? { more: true } : {}) },
    ...(last === undefined ? {} : { afterWritten: () => inbox.ack(session.username, last.id) }),
  };
}
