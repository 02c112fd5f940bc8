import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import type { CommandContext, CommandResult } from "./command-context.ts";

export async function handleLogout(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "logout" }>): CommandResult {
  const revoked = await ctx.realm.store.sessions.revoke(request.token);
  return revoked ? { kind: "logged-out" } : errorReply("SESSION_NOT_FOUND");
}
