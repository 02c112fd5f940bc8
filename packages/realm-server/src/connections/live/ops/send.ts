import type { PrivateMessaging } from "../../../services/private-messaging.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { addressOf, requireUser, type LiveClient, type OpRequest, type OpResult } from "./live-op.ts";

export async function opSend(sessions: SessionService, messaging: PrivateMessaging, client: LiveClient, req: OpRequest<"send">): OpResult<"send"> {
  const sender = await requireUser(sessions, client);
  const sent = await messaging.send(sender, addressOf(req.to), req.text);
  return { msgId: sent.id, queued: sent.queued };
}
