import type { PrivateMessaging } from "../../../services/private-messaging.ts";
import type { SessionService } from "../../../services/session-service.ts";
import { addressOf, LaterReply, requireUser, type LiveClient, type OpRequest } from "./live-op.ts";

/** Answers once the message is committed here; for another realm, the answer waits for that realm. */
export async function opSend(sessions: SessionService, messaging: PrivateMessaging, client: LiveClient, req: OpRequest<"send">): Promise<LaterReply<"send">> {
  const sender = await requireUser(sessions, client);
  const sent = await messaging.sendAnsweredLater(sender, addressOf(req.to), req.text);
  return new LaterReply(sent.answer.then((s) => ({ msgId: s.id, queued: s.queued })));
}
