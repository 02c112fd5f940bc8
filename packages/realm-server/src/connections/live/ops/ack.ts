import type { InboxService } from "../../../services/inbox-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import type { OpRequest, OpResult } from "./live-op.ts";

/** Removes inbox messages up to and including `upTo` (in inbox order). */
export async function opAck(inbox: InboxService, req: OpRequest<"ack">, user: UserRecord): OpResult<"ack"> {
  return { removed: await inbox.ack(user.username, req.upTo) };
}
