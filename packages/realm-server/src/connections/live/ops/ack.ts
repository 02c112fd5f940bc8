import type { InboxService } from "../../../services/inbox-service.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import type { LiveClient, OpRequest, OpResult } from "./live-op.ts";

/**
 * Settles what this connection handed its client up to and including `upTo`: held messages are
 * let go, inbox messages removed (in inbox order, for an id it did not hand out).
 */
export async function opAck(inbox: InboxService, client: LiveClient, req: OpRequest<"ack">, user: UserRecord): OpResult<"ack"> {
  const handed = client.deliveries.take(req.upTo);
  return { removed: await (handed === undefined ? inbox.ack(user.username, req.upTo) : inbox.acknowledge(user.username, handed)) };
}
