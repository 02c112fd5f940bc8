import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import { v4 as uuidv4 } from "uuid";
import type { CommandContext, CommandResult } from "./command-context.ts";

export async function handleSend(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "send" }>): CommandResult {
  const { store, name: realmName } = ctx.realm;
  const session = await store.sessions.touch(request.token);
  if (session === undefined) return errorReply("SESSION_NOT_FOUND");
  if (request.to.realm !== undefined && request.to.realm !== realmName) {
    return errorReply("USER_NOT_FOUND", `user '${request.to.user}@${request.to.realm}' not found: unknown realm`);
  }
  const [sender, recipient] = await Promise.all([store.users.get(session.username), store.users.get(request.to.user)]);
  if (sender === undefined) return errorReply("SESSION_NOT_FOUND");
  if (recipient === undefined) return errorReply("USER_NOT_FOUND", `user '${request.to.user}' not found`);
  const id = uuidv4();
  await store.inboxes.append({
    id,
    from: sender.username,
    fromName: sender.displayName,
    to: recipient.username,
    toName: recipient.displayName,
    text: request.text,
    sentAt: Date.now(),
  });
  return { kind: "sent", id, queued: false };
}
