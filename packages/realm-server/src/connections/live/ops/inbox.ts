import type { InboxService } from "../../../services/inbox-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import type { LiveClient, OpRequest, OpResult } from "./live-op.ts";

/** Shows the inbox without emptying it: messages leave only with `ack`. */
export async function opInbox(inbox: InboxService, client: LiveClient, req: OpRequest<"inbox">, user: UserRecord): OpResult<"inbox"> {
  const stored = await inbox.peek(user.username, req.limit);
  for (const m of stored) client.deliveries.handed(m.id, false);
  return { messages: stored.map((m) => ({ msgId: m.id, from: m.from, fromName: m.fromName, text: m.text, ts: m.sentAt })) };
}
