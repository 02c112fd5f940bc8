import type { ClassicRequest } from "@realmchat/protocol";
import type { InboxService } from "../../../services/inbox-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import type { CommandResult } from "../classic-command.ts";

export async function handleInbox(sessions: SessionService, inbox: InboxService, request: Extract<ClassicRequest, { kind: "inbox" }>): CommandResult {
  const session = await sessions.requireSession(request.token);
  return { kind: "inbox", messages: await inbox.drain(session.username) };
}
