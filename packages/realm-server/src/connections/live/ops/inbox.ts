import type { InboxService } from "../../../services/inbox-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import type { OpRequest, OpResult } from "./live-op.ts";

/** Shows the inbox without emptying it: messages leave only with `ack`. */
export async function opInbox(inbox: InboxService, req: OpRequest<"inbox">, user: UserRecord): OpResult<"inbox"> {
  const stored = await inbox.peek(user.username, req.limit);
  return { messages: stored.map((m) => ({ msgId: m.id, from: m.from, fromName: m.fromName, text: m.text, ts: m.sentAt })) };
}
