import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import { sendPrivateMessage } from "../messaging/send-private-message.ts";
import type { CommandContext, CommandResult } from "./command-context.ts";

export async function handleSend(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "send" }>): CommandResult {
  const { store } = ctx.realm;
  const session = await store.sessions.touch(request.token);
  const sender = session === undefined ? undefined : await store.users.get(session.username);
  if (sender === undefined) return errorReply("SESSION_NOT_FOUND");
  const result = await sendPrivateMessage(ctx.realm, sender, request.to, request.text);
  return result.kind === "sent" ? { kind: "sent", id: result.id, queued: result.queued } : errorReply(result.code, result.message);
}
