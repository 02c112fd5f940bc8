import type { InboxService } from "../../../services/inbox-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

/** Shows the inbox without emptying it: messages leave only with `ack`. */
export async function opInbox(
  sessions: SessionService,
  inbox: InboxService,
  client: LiveClient,
  req: OpRequest<"inbox">,
): OpResult<"inbox"> {
  const user = await requireUser(sessions, client);
  const stored = await inbox.peek(user.username, req.limit);
  return { messages: stored.map((m) => ({ msgId: m.id, from: m.from, fromName: m.fromName, text: m.text, ts: m.sentAt })) };
}
