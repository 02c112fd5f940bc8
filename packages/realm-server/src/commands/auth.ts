import { errorReply, type ClassicRequest } from "@realmchat/protocol";
import { authenticate } from "../messaging/authenticate.ts";
import type { CommandContext, CommandResult } from "./command-context.ts";

export async function handleAuth(ctx: CommandContext, request: Extract<ClassicRequest, { kind: "auth" }>): CommandResult {
  const session = await authenticate(ctx.realm, request.user, request.password, ctx.connection.peer);
  return session === undefined ? errorReply("AUTH_FAILED") : { kind: "auth-ok", token: session.token };
}
