import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import type { CommandContext, CommandResult } from "./command-context.ts";

export async function handleInbox(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "inbox" }>): CommandResult {
  const { store } = ctx.realm;
  const session = await store.sessions.touch(request.token);
  if (session === undefined) return errorReply("SESSION_NOT_FOUND");
  const messages = await store.inboxes.drain(session.username);
  return { kind: "inbox", messages };
}
