import type { ClassicRequest } from "@realmchat/protocol";
import type { PrivateMessaging } from "../../../services/private-messaging.ts";
import type { SessionService } from "../../../services/session-service.ts";
import type { CommandResult } from "../classic-command.ts";

export async function handleSend(
  sessions: SessionService,
  messaging: PrivateMessaging,
  request: Extract<ClassicRequest, { kind: "send" }>,
): CommandResult {
  const sender = await sessions.requireUser(request.token);
  const sent = await messaging.send(sender, request.to, request.text);
  return { reply: { kind: "sent", id: sent.id, queued: sent.queued } };
}
