import type { InboxService } from "../../../services/inbox-service.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

/** Removes inbox messages up to and including `upTo` (in inbox order). */
export async function opAck(sessions: SessionService, inbox: InboxService, client: LiveClient, req: OpRequest<"ack">): OpResult<"ack"> {
  const user = await requireUser(sessions, client);
  return { removed: await inbox.ack(user.username, req.upTo) };
}
