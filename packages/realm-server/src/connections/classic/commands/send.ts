import type { ClassicRequest } from "@realmchat/protocol";
import type { PrivateMessaging } from "../../../services/private-messaging.ts";
import type { UserRecord } from "../../../store/realm-store.ts";
import type { CommandResult } from "../classic-command.ts";

export async function handleSend(
  messaging: PrivateMessaging,
  request: Extract<ClassicRequest, { kind: "send" }>,
  sender: UserRecord,
): CommandResult {
  const sent = await messaging.send(sender, request.to, request.text);
  return { reply: { kind: "sent", id: sent.id, queued: sent.queued } };
}
